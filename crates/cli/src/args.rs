//! The command line, as clap derive types.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use dossier::model::{AttributeType, ExportFormat, Hedging, Kind, RelationKind, Stance, Verdict};

use crate::wire::wire;

#[derive(Parser)]
#[command(name = "dossier", version, about = "Dossier: a research notebook for articles, claims and notes", long_about = None)]
pub struct Cli {
    /// The notebook folder (default: $DOSSIER_NOTEBOOK, else Dossier/Default.dossier in the OS data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub notebook: Option<PathBuf>,
    /// Print one JSON value on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create the notebook (with the default codebook).
    Init {
        /// Also add the sample article with claims and a note.
        #[arg(long)]
        sample: bool,
    },
    /// Import files and folders (recursively): articles (.txt, .md, .html, .mhtml, .pdf,
    /// .docx, .odt, .epub, .rtf); a REFI-QDA project (.qdpx); W3C or Hypothesis
    /// annotations (.jsonld/.json); references to attach to matching articles
    /// (CSL-JSON .json, .bib, .ris).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The file is a new version of this article: link them and carry its
        /// claims over (exact, changed, or orphaned into the review queue).
        #[arg(long, value_name = "ARTICLE_ID")]
        replaces: Option<String>,
    },
    /// The versions of an article, oldest first.
    Versions { id: String },
    /// Candidate claims about transparency and trust in an article, with the rule behind each.
    Suggest {
        article: String,
        /// Make suggestion N (1-based, as listed) a claim.
        #[arg(long, conflicts_with = "dismiss")]
        accept: Option<usize>,
        /// Dismiss suggestion N: it is not proposed again.
        #[arg(long)]
        dismiss: Option<usize>,
    },
    /// Undo the last change to a claim, note or article.
    Undo,
    /// Redo the change undone last.
    Redo,
    /// What was deleted in the last 30 days; --restore ID puts an item back.
    Trash {
        /// Put the deleted article, claim or note with this id back.
        #[arg(long, value_name = "ID")]
        restore: Option<String>,
    },
    /// Agreement of two analysts (percent, Cohen's kappa, Krippendorff's alpha over characters), per code and overall.
    Agreement {
        /// Two analyst names, comma-separated: A,B.
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        analysts: Vec<String>,
        /// Only this article (all articles both analysts coded, without it).
        #[arg(long)]
        article: Option<String>,
        /// Only this code (and the codes below it).
        #[arg(long)]
        code: Option<String>,
        /// With --article: list the claims only one of the two made.
        #[arg(long, requires = "article")]
        disagreements: bool,
    },
    /// Bring another notebook's articles, claims (with their analysts), codes and notes into this one.
    Merge { other: PathBuf },
    /// Make article TO the new version of article FROM and carry FROM's claims over.
    Carry { from: String, to: String },
    /// List articles.
    Articles,
    /// Show an article with its text and claims.
    Show { id: String },
    /// Delete an article with its claims and notes' links (to the trash: `trash --restore ID` brings it back).
    Delete { id: String },
    /// Correct an article's language (e.g. de, en, zh); it and its claims are re-indexed.
    Language { id: String, lang: String },
    /// List the codebook, or change it.
    Codes {
        #[command(subcommand)]
        action: Option<CodesCmd>,
    },
    /// Article attributes (outlet, country, outlet type…): define them, set an article's values.
    #[command(subcommand)]
    Attribute(AttributeCmd),
    /// List the attributes the notebook defines, or one article's values.
    Attributes { article: Option<String> },
    /// Claims counted by two dimensions: code, attr:NAME, set, analyst, month, stance, verdict, lang.
    Matrix {
        #[arg(long, default_value = "code")]
        rows: String,
        #[arg(long)]
        cols: String,
        /// What a cell shows in text output (JSON always has all three).
        #[arg(long, default_value = "count", value_parser = ["count", "stance", "verdict"])]
        measure: String,
        /// List the claims of one cell instead: its row label and its column label.
        #[arg(long, num_args = 2, value_names = ["ROW", "COL"])]
        cell: Option<Vec<String>>,
    },
    /// Named sets of articles (`set:NAME` in queries): make them, put articles in, take them out.
    #[command(subcommand)]
    Set(SetCmd),
    /// List the sets, the articles of one (`--set NAME`), or the sets an article is in (`--article ID`).
    Sets {
        #[arg(long, conflicts_with = "article")]
        set: Option<String>,
        #[arg(long)]
        article: Option<String>,
    },
    /// Add, edit or delete a claim.
    #[command(subcommand)]
    Claim(ClaimCmd),
    /// Typed links between claims: supports, contradicts, qualifies, repeats.
    #[command(subcommand)]
    Relation(RelationCmd),
    /// List claims.
    Claims {
        #[arg(long)]
        article: Option<String>,
        /// A code path; includes the codes below it.
        #[arg(long)]
        code: Option<String>,
    },
    /// Follow a link back (dossier://claim/ID, dossier://note/ID, dossier://article/ID, as exports
    /// carry them): show what it names in this notebook, in its context.
    Open { url: String },
    /// The table of claims: every claim, filtered and sorted, a page at a time (or written as CSV).
    Table {
        #[command(flatten)]
        view: TableArgs,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Rows to show (at most 2 000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Write every row of the view as CSV to this file instead.
        #[arg(long)]
        csv: Option<std::path::PathBuf>,
        /// Overwrite the CSV file.
        #[arg(long, requires = "csv")]
        force: bool,
    },
    /// Change many claims at once (codes, stance, hedging, verdict), as one undo step.
    Recode {
        /// Claim ids; with --table, every claim the table's filter selects.
        #[arg(required_unless_present = "table")]
        ids: Vec<String>,
        #[arg(long, conflicts_with = "ids")]
        table: bool,
        #[command(flatten)]
        view: TableArgs,
        /// A code to add (repeatable).
        #[arg(long = "add-code")]
        add_codes: Vec<String>,
        /// A code to take off (repeatable).
        #[arg(long = "remove-code")]
        remove_codes: Vec<String>,
        #[arg(long = "set-stance", value_parser = wire::<Stance>())]
        set_stance: Option<Stance>,
        #[arg(long = "set-hedging", value_parser = wire::<Hedging>())]
        set_hedging: Option<Hedging>,
        #[arg(long = "set-verdict", value_parser = wire::<Verdict>())]
        set_verdict: Option<Verdict>,
    },
    /// Add or delete a note.
    #[command(subcommand)]
    Note(NoteCmd),
    /// List notes.
    Notes {
        /// Only notes attached to or linking to this article.
        #[arg(long, conflicts_with = "linking_to")]
        article: Option<String>,
        /// Only notes that link to this note (its backlinks).
        #[arg(long, value_name = "NOTE")]
        linking_to: Option<String>,
    },
    /// Search articles, claims and notes.
    Search {
        query: String,
        #[arg(long, value_parser = wire::<Kind>())]
        kind: Option<Kind>,
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Require every word, stop words included, and show no partial matches.
        #[arg(long)]
        all_words: bool,
        /// Expand glossary terms to every term of their concept (Transparenz → transparency, 透明度).
        #[arg(long)]
        expand: bool,
        /// QUERY is the name of a saved search: run its query.
        #[arg(long, conflicts_with = "save")]
        saved: bool,
        /// Also save the query under this name (`searches` lists them).
        #[arg(long, value_name = "NAME")]
        save: Option<String>,
    },
    /// The glossary of terms across languages (search --expand uses it).
    Glossary {
        #[command(subcommand)]
        cmd: Option<GlossaryCmd>,
    },
    /// List the saved searches, or remove one.
    Searches {
        #[arg(long, value_name = "NAME")]
        delete: Option<String>,
    },
    /// Export: markdown (folder, or one .md file), csv, w3c (JSON-LD), qdpx, qdc,
    /// csl, bibtex, ris, obsidian (folder), html (report) or backup (zip).
    Export {
        #[arg(id = "export_format", value_name = "FORMAT", value_parser = wire::<ExportFormat>())]
        format: ExportFormat,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        article: Option<String>,
        #[arg(long)]
        code: Option<String>,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup zip into a new notebook (--notebook DIR, else a folder
    /// named after the backup beside the default notebook).
    Restore { backup: PathBuf },
    /// Compare the database with the index and the source files; exit 1 on any problem.
    Check {
        /// Also fix what can be fixed (rebuild the index, remove unused original files) and say what was done.
        #[arg(long)]
        repair: bool,
    },
    /// List the automatic backups (in the notebook's backups/ folder), or make one.
    Backups {
        /// Write a backup now if the newest is older than --every-hours (0: always), keeping --keep.
        #[arg(long)]
        now: bool,
        #[arg(long, default_value_t = 0)]
        every_hours: u64,
        #[arg(long, default_value_t = 7)]
        keep: usize,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Work as a team through a hub: join, status, conflicts, leave.
    Team {
        #[command(subcommand)]
        cmd: TeamCmd,
    },
    /// Push this notebook's changes to the team's hub and pull the team's
    /// (prints pushed, pulled, conflicts).
    Sync {
        /// Then compare every entity the team holds with this notebook's, by
        /// the hash of its state (adds `verify`: checked, same, pending, divergent).
        #[arg(long)]
        verify: bool,
        /// With --verify: set each divergent entity to the team's state (undoable).
        #[arg(long, requires = "verify")]
        repair: bool,
    },
    /// Counts and the notebook's location.
    Info,
}

#[derive(Subcommand)]
pub enum CodesCmd {
    /// Add a code; missing parents are created.
    Add {
        path: String,
        #[arg(long)]
        color: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Rename the last part of a code's path.
    Rename { path: String, new_name: String },
    /// Move a code (and its sub-codes) under another code, or to the top level.
    Move {
        path: String,
        #[arg(long, conflicts_with = "top")]
        to: Option<String>,
        #[arg(long)]
        top: bool,
    },
    /// Merge a code into another: its claims and sub-codes move over, then it is deleted.
    Merge { from: String, into: String },
    /// Change a code's colour or description.
    Edit {
        path: String,
        #[arg(long)]
        color: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Merge a codebook file into this one by path: a REFI-QDA .qdc, or a CSV
    /// with a `path` column and any of color, description, memo (one undo step).
    Import { file: PathBuf },
    /// Write a code's memo (Markdown: definition, inclusion/exclusion rules, examples); empty removes it.
    Memo {
        path: String,
        /// The memo's text.
        #[arg(long, conflicts_with = "file", required_unless_present = "file")]
        text: Option<String>,
        /// Read the memo from a Markdown file.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Delete a code; with --force also when sub-codes or claims use it (the claims stay).
    Delete {
        path: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
pub enum AttributeCmd {
    /// Define an attribute: text, number, date (2024, 2024-05, 2024-05-03) or choice.
    Define {
        name: String,
        #[arg(long = "type", value_parser = wire::<AttributeType>())]
        kind: AttributeType,
        /// The allowed values of a choice attribute, comma-separated.
        #[arg(long, value_delimiter = ',')]
        choices: Vec<String>,
    },
    /// Set an article's value (checked against the attribute's type).
    Set {
        article: String,
        name: String,
        value: String,
    },
    /// Remove an article's value.
    Clear { article: String, name: String },
    /// Remove an attribute with every article's value of it (undo brings them back).
    Delete { name: String },
}

#[derive(Subcommand)]
pub enum SetCmd {
    /// Make an empty set.
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Put articles into a set.
    Put {
        name: String,
        #[arg(required = true)]
        articles: Vec<String>,
    },
    /// Take articles out of a set.
    Remove {
        name: String,
        #[arg(required = true)]
        articles: Vec<String>,
    },
    /// Remove a set (its articles stay).
    Delete { name: String },
    /// Write a set's memo (Markdown: why these articles belong together); empty removes it.
    Memo {
        name: String,
        #[arg(long)]
        text: String,
    },
}

#[derive(Subcommand)]
pub enum RelationCmd {
    /// FROM supports / contradicts / qualifies / repeats TO.
    Add {
        from: String,
        to: String,
        #[arg(long = "type", value_parser = wire::<RelationKind>())]
        kind: RelationKind,
        #[arg(long)]
        comment: Option<String>,
    },
    /// The relations of a claim (either end).
    List { claim: String },
    /// Remove a relation.
    Delete { id: String },
}

#[derive(Subcommand)]
pub enum ClaimCmd {
    /// Mark a quote of an article as a claim, or (in a PDF) a region of a page.
    Add {
        article: String,
        #[arg(long, required_unless_present = "region", conflicts_with = "region")]
        quote: Option<String>,
        /// A rectangle on a PDF page (a chart, a table, a figure): PAGE:X0,Y0,X1,Y1 in
        /// points from the page's top-left corner, as `pdftotext -bbox` gives them.
        #[arg(long, value_name = "PAGE:X0,Y0,X1,Y1")]
        region: Option<String>,
        /// Which occurrence of the quote (1 = first).
        #[arg(long, default_value_t = 1)]
        occurrence: u32,
        #[arg(long = "code")]
        codes: Vec<String>,
        #[arg(long, default_value = "unclear", value_parser = wire::<Stance>())]
        stance: Stance,
        #[arg(long, default_value_t = 3)]
        confidence: u8,
        #[arg(long)]
        claimant: Option<String>,
        #[arg(long)]
        comment: Option<String>,
        /// Default: $DOSSIER_ANALYST, else the user name.
        #[arg(long)]
        analyst: Option<String>,
        #[arg(long, default_value = "asserted", value_parser = wire::<Hedging>())]
        hedging: Hedging,
    },
    /// Change a claim's analysis (codes given replace the old ones; empty text clears a field),
    /// or its span (--quote, with --occurrence; or --start and --end in code points).
    Edit {
        id: String,
        /// The new span: this text of the article (its id, codes and history stay).
        #[arg(long, conflicts_with_all = ["start", "end"])]
        quote: Option<String>,
        /// Which occurrence of --quote (1 = the first).
        #[arg(long, default_value_t = 1, requires = "quote")]
        occurrence: u32,
        #[arg(long, requires = "end")]
        start: Option<u32>,
        #[arg(long, requires = "start")]
        end: Option<u32>,
        #[arg(long = "code")]
        codes: Vec<String>,
        #[arg(long, conflicts_with = "codes")]
        clear_codes: bool,
        #[arg(long, value_parser = wire::<Stance>())]
        stance: Option<Stance>,
        #[arg(long)]
        confidence: Option<u8>,
        #[arg(long)]
        claimant: Option<String>,
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        analyst: Option<String>,
        #[arg(long, value_parser = wire::<Hedging>())]
        hedging: Option<Hedging>,
    },
    /// Record a verdict (unverified, supported, disputed, refuted) with evidence.
    Verdict {
        id: String,
        #[arg(value_parser = wire::<Verdict>())]
        verdict: Verdict,
        /// Why, in words.
        #[arg(long)]
        note: Option<String>,
        /// claim:ID, note:ID or an http(s) address; repeatable.
        #[arg(long = "evidence")]
        evidence: Vec<String>,
        /// Default: $DOSSIER_ANALYST, else the user name.
        #[arg(long)]
        analyst: Option<String>,
    },
    /// A claim's verdicts, oldest first, and its relations.
    History { id: String },
    /// Delete a claim.
    Delete { id: String },
    /// The review queue: claims not found in a newer version of their article.
    Orphans,
    /// Attach an orphaned claim to the newest version of its article.
    Reattach {
        id: String,
        #[arg(long)]
        quote: String,
        #[arg(long, default_value_t = 1)]
        occurrence: u32,
    },
    /// Leave an orphaned claim on its old version (out of the review queue).
    Dismiss { id: String },
    /// Keep a translation of the claim's quote with it (shown, searched and exported beside it).
    Translate {
        id: String,
        /// The translation's language (en, de, zh…).
        #[arg(long)]
        lang: String,
        #[arg(long)]
        text: String,
        /// Who or what made it (default: the analyst, $DOSSIER_ANALYST).
        #[arg(long)]
        by: Option<String>,
    },
    /// Remove one translation (by its id, from `claim show`/`--json`).
    Untranslate { translation: String },
}

#[derive(Subcommand)]
pub enum NoteCmd {
    /// Add a Markdown note; [[article:ID]], [[claim:ID]], [[note:ID]] or [[Title]] link to articles, claims and notes.
    Add {
        #[arg(long)]
        title: String,
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        #[arg(long)]
        body_file: Option<PathBuf>,
        #[arg(long)]
        article: Option<String>,
    },
    /// Delete a note.
    Delete { id: String },
}

/// Which claims the table holds and in which order (`table`, `recode --table`).
#[derive(clap::Args, Debug, Default)]
pub struct TableArgs {
    /// A code path; includes the codes below it.
    #[arg(long)]
    pub code: Option<String>,
    #[arg(long, value_parser = wire::<Stance>())]
    pub stance: Option<Stance>,
    #[arg(long, value_parser = wire::<Hedging>())]
    pub hedging: Option<Hedging>,
    #[arg(long, value_parser = wire::<Verdict>())]
    pub verdict: Option<Verdict>,
    #[arg(long)]
    pub analyst: Option<String>,
    /// Words the quote contains (case-insensitive).
    #[arg(long)]
    pub text: Option<String>,
    /// An article filter: attr:NAME=VALUE (or <, <=, >, >=) or set:NAME (repeatable; all hold).
    #[arg(long = "where")]
    pub articles: Vec<String>,
    /// quote, article, codes, stance, hedging, verdict, confidence, claimant, analyst, created, updated, or attr:NAME.
    #[arg(long, default_value = "created")]
    pub sort: String,
    #[arg(long)]
    pub desc: bool,
}

#[derive(Subcommand)]
pub enum GlossaryCmd {
    /// Terms that name one concept: `glossary add de:Transparenz en:transparency zh:透明度`
    /// (a term already known brings its concept; the others join it).
    Add {
        #[arg(required = true, value_name = "LANG:TERM")]
        terms: Vec<String>,
    },
    /// Remove one term (a concept left without terms goes).
    Remove {
        #[arg(value_name = "LANG:TERM")]
        term: String,
    },
}

#[derive(Subcommand)]
pub enum TeamCmd {
    /// Link this notebook to a team's hub with your token (the hub's owner
    /// makes it with `dossier-hub token add`). The next `sync` sends the notebook.
    Join {
        /// The hub's address, e.g. http://127.0.0.1:7878
        url: String,
        #[arg(long, env = "DOSSIER_TEAM_TOKEN", hide_env_values = true)]
        token: String,
        /// The team's own certificate authority (PEM), when the hub's
        /// certificate is not signed by a public one.
        #[arg(long, value_name = "FILE")]
        ca: Option<PathBuf>,
    },
    /// The team, the analyst, pending changes, the last sync.
    Status,
    /// What the team's merges decided against (newest first).
    Conflicts {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Unlink this notebook from its team (its content stays).
    Leave,
    /// Pull only some of the team's articles whole (selective sync): those
    /// coded with one of the codes (each with its sub-codes), in one of the
    /// sets, with one of the attribute values and dated within --from/--to
    /// (every criterion given must hold). The others are listed (`team stubs`) and pulled on demand
    /// (`team pull`). The next sync pulls what the new scope takes in;
    /// articles already here stay. Nothing given, or --all: every article.
    Scope {
        /// A code's path (repeat for several: an article coded with any of them).
        #[arg(long = "code", value_name = "PATH")]
        codes: Vec<String>,
        /// The article's date (published, else imported) ends on or after this: YYYY[-MM[-DD]].
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// The article's date starts on or before this: YYYY[-MM[-DD]].
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// A set's name (repeat for several: an article in any of them).
        #[arg(long = "set", value_name = "NAME")]
        sets: Vec<String>,
        /// An attribute's value, NAME=VALUE (repeat for several: an article with any of them).
        #[arg(long = "attribute", value_name = "NAME=VALUE")]
        attributes: Vec<String>,
        /// Every article (the scope removed).
        #[arg(long, conflicts_with_all = ["codes", "from", "to", "sets", "attributes"])]
        all: bool,
    },
    /// The team's articles not pulled here (outside the scope), with their metadata.
    Stubs {
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Pull articles not pulled (by id), with the team's claims, notes and verdicts on them.
    Pull {
        #[arg(required = true)]
        ids: Vec<String>,
    },
}
