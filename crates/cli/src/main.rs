//! `dossier`: the command-line face of the Notebook façade. Parsing arguments
//! and printing results is all it does; every decision lives in the libraries.

mod args;
mod commands;
mod print;
mod wire;

use std::process::ExitCode;

use clap::Parser;
use dossier::model::{ExportScope, Result};
use dossier::Notebook;

/// Counts the heap; the extraction child caps it (see `dossier::Heap`).
#[global_allocator]
static HEAP: dossier::Heap = dossier::Heap::new(std::alloc::System, usize::MAX);

use args::{Cli, Command};
use commands::{articles, attributes, claims, codes, notebook, notes, team};
use print::Out;

fn main() -> ExitCode {
    dossier::serve_extraction_child(&HEAP);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let out = Out { json: cli.json };
    match run(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::from(1)
        }
    }
}

/// Help and the version print as clap prints them; a malformed command line
/// (an unknown stance, a missing argument) is an error like any other: with
/// `--json` it is `{"error": {"code": "invalid_input", "message"}}`. Exit 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let json = std::env::args_os().any(|a| a == "--json");
    if !json {
        e.exit();
    }
    // The message without clap's usage and hint paragraphs.
    let text = e.to_string();
    let message = text
        .split("\n\n")
        .filter(|p| !p.starts_with("Usage:") && !p.starts_with("For more information"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    Out { json }.error(&dossier::model::Error::invalid(message));
    ExitCode::from(2)
}

fn run(cli: Cli, out: &Out) -> Result<ExitCode> {
    let explicit_notebook = cli.notebook.is_some();
    let dir = cli.notebook.unwrap_or_else(Notebook::default_dir);
    if let Command::Init { sample } = cli.command {
        let nb = Notebook::init(&dir, sample)?;
        out.value(&nb.info()?, |i| {
            format!(
                "notebook at {} ({} articles, {} codes)",
                i.path, i.articles, i.codes
            )
        });
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Restore { backup } = &cli.command {
        // The target is --notebook when given, else a new folder named after the backup.
        let target = match explicit_notebook {
            true => dir.clone(),
            false => Notebook::default_dir().with_file_name(format!(
                "{}.dossier",
                backup
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Restored".into())
            )),
        };
        let nb = Notebook::restore(backup, &target)?;
        out.value(&nb.info()?, |i| {
            format!(
                "restored into {} ({} articles, {} claims, {} notes)",
                i.path, i.articles, i.claims, i.notes
            )
        });
        return Ok(ExitCode::SUCCESS);
    }
    let nb = Notebook::open(&dir)?;
    // Writes pending from an earlier process are applied first, so that what
    // this command reads from the index (search, check) reflects every write.
    nb.flush_index()?;
    let json = out.json;
    let reply = match cli.command {
        Command::Init { .. } | Command::Restore { .. } => unreachable!("handled above"),
        Command::Import { paths, replaces } => articles::import(&nb, paths, replaces, json),
        Command::Versions { id } => articles::versions(&nb, &id),
        Command::Carry { from, to } => articles::carry(&nb, &from, &to),
        Command::Articles => articles::list(&nb),
        Command::Show { id } => articles::show(&nb, &id),
        Command::Language { id, lang } => articles::language(&nb, &id, &lang),
        Command::Delete { id } => articles::delete(&nb, &id),
        Command::Suggest {
            article,
            accept,
            dismiss,
        } => articles::suggest(&nb, &article, accept, dismiss),
        Command::Codes { action } => codes::run(&nb, action),
        Command::Attribute(cmd) => attributes::run(&nb, cmd),
        Command::Attributes { article } => attributes::list(&nb, article.as_deref()),
        Command::Set(cmd) => attributes::set(&nb, cmd),
        Command::Matrix {
            rows,
            cols,
            measure,
            cell,
        } => attributes::matrix(&nb, &rows, &cols, &measure, cell),
        Command::Sets { set, article } => attributes::sets(&nb, set.as_deref(), article.as_deref()),
        Command::Searches { delete } => attributes::searches(&nb, delete.as_deref()),
        Command::Claim(cmd) => claims::run(&nb, cmd),
        Command::Claims { article, code } => {
            claims::list(&nb, out, article.as_deref(), code.as_deref())
        }
        Command::Relation(cmd) => claims::relation(&nb, cmd),
        Command::Open { url } => notes::open_link(&nb, &url),
        Command::Table {
            view,
            offset,
            limit,
            csv,
            force,
        } => claims::table(&nb, &view, offset, limit, csv.as_deref(), force),
        Command::Recode {
            ids,
            table,
            view,
            add_codes,
            remove_codes,
            set_stance,
            set_hedging,
            set_verdict,
        } => claims::recode(
            &nb,
            ids,
            table.then_some(&view),
            dossier::model::table::Recode {
                add_codes,
                remove_codes,
                stance: set_stance,
                hedging: set_hedging,
                verdict: set_verdict,
                analyst: commands::analyst_default(),
            },
        ),
        Command::Note(cmd) => notes::run(&nb, cmd),
        Command::Notes {
            article,
            linking_to,
        } => match linking_to {
            Some(id) => notes::backlinks(&nb, &id),
            None => notes::list(&nb, article.as_deref()),
        },
        Command::Undo => notebook::undo_redo(&nb, true),
        Command::Redo => notebook::undo_redo(&nb, false),
        Command::Trash { restore } => notebook::trash(&nb, restore),
        Command::Agreement {
            analysts,
            article,
            code,
            disagreements,
        } => notebook::agreement(
            &nb,
            &analysts,
            article.as_deref(),
            code.as_deref(),
            disagreements,
        ),
        Command::Merge { other } => notebook::merge(&nb, other),
        Command::Search {
            query,
            kind,
            code,
            lang,
            limit,
            offset,
            all_words,
            expand,
            saved,
            save,
        } => notebook::search(
            &nb,
            notebook::Search {
                query,
                kind,
                code,
                lang,
                limit,
                offset,
                all_words,
                expand,
                saved,
                save,
            },
        ),
        Command::Glossary { cmd } => notebook::glossary(&nb, cmd),
        Command::Export {
            format,
            out: path,
            article,
            code,
            force,
        } => notebook::export(
            &nb,
            format,
            &path,
            ExportScope {
                article_id: article,
                code,
            },
            force,
        ),
        Command::Check { repair } => notebook::check(&nb, repair),
        Command::Backups {
            now,
            every_hours,
            keep,
        } => notebook::backups(&nb, now, every_hours, keep),
        Command::Reindex => notebook::reindex(&nb, json),
        Command::Team { cmd } => team::run(&nb, cmd),
        Command::Sync { verify, repair } => team::sync(&nb, verify, repair),
        Command::Info => notebook::info(&nb),
    }?;
    // The one flush of the command's writes: when `dossier` returns, the index
    // has them (the next process would apply them otherwise, but a script that
    // searches right after an edit expects to find it).
    nb.flush_index()?;
    let failed = reply.failed;
    reply.print(out);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
