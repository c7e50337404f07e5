// Interface text in English and German. The language follows the OS (the
// webview's navigator.language) until the user picks one; the choice is kept.

const en = {
  articles: 'Articles', notes: 'Notes', codebook: 'Codebook', search: 'Search', import: 'Import', export: 'Export',
  importFiles: 'Import files…', importFolder: 'Import folder…', openNotebook: 'Open notebook…', newNotebook: 'New notebook…',
  filter: 'Filter…', allLanguages: 'All languages', allCodes: 'All codes', sortNewest: 'Newest first', sortTitle: 'Title A–Z',
  sortPublished: 'Published date', claimsCount: 'claims', noArticle: 'Select an article on the left, or import one.',
  metadata: 'Details', source: 'Source', language: 'Language', published: 'Published', imported: 'Imported',
  sha256: 'SHA-256 of the file', textSha256: 'SHA-256 of the text', parser: 'Parser', file: 'File', author: 'Author',
  claims: 'Claims', newClaim: 'New claim', editClaim: 'Edit claim', codes: 'Codes', stance: 'Stance', confidence: 'Confidence',
  claimant: 'Claimant', comment: 'Comment', save: 'Save', cancel: 'Cancel', delete: 'Delete', undo: 'Undo', close: 'Close',
  supports: 'supports', contests: 'contests', neutral: 'neutral', unclear: 'unclear', allStances: 'All stances',
  typeCode: 'Type to find a code…', claimDeleted: 'Claim deleted', claimSaved: 'Claim saved', noClaims: 'No claims yet. Select text to add one.',
  newNote: 'New note', title: 'Title', body: 'Body', preview: 'Preview', edit: 'Edit', noteSaved: 'Note saved',
  linkHint: 'Type [[ to link an article or claim.', backlinks: 'Linked from notes', noNotes: 'No notes yet.',
  addCode: 'Add code', rename: 'Rename', moveTo: 'Move under…', mergeInto: 'Merge into…', mergeQuestion: 'Merge “{from}” into “{into}”? Its claims and sub-codes move to “{into}”, then “{from}” is deleted.', topLevel: '(top level)', description: 'Description', color: 'Colour',
  deleteCodeQuestion: 'Delete the code “{path}”?', deleteCodeUsed: 'It is used by {n} claim(s) or has sub-codes. The claims stay; only the code is removed from them.',
  searchPlaceholder: 'Search articles, claims and notes…', noResults: 'Nothing found.', results: '{n} result(s)',
  searchFuzzy: 'Nothing matched exactly — showing matches with small typos.', searchPartial: 'Few results contain every word: the rest contain some of them, most words first.', partialShort: 'some words', partialHit: 'Contains only some of the words searched for', searchPlain: 'The query could not be read (an open quote or bracket, or an unknown field value), so its plain words were searched.',
  searchRebuilding: 'The search index is being rebuilt ({done} of {total}); results may be incomplete until it finishes.', searchRebuildingPrevious: 'The search index is being rebuilt ({done} of {total}); until it is done, results come from the previous index and miss changes made since.', showMore: 'Show more', linksTo: 'links to',
  facetStance: 'Stance', querySyntax: 'Search syntax',
  agreement: 'Agreement between analysts', pickTwoAnalysts: 'Choose two different analysts.', needTwoAnalysts: 'Claims by two analysts are needed (merge another notebook: dossier merge).',
  code: 'Code', overall: 'overall', agreementUnits: 'Units: {n} characters in {articles} article(s); κ = Cohen\'s kappa, α = Krippendorff\'s alpha.', disagreements: 'Claims only one of them made', onlyBy: 'only {who}', adoptFor: 'Adopt for {who}',
  analystName: 'Analyst name', analystAsk: 'Your name as analyst (saved with every claim):', later: 'Later',
  team: 'Team', teamJoin: 'Join a team…', teamJoinHint: 'Your team\'s owner gives you the hub\'s address and your token. Your notebook stays complete on this machine and works offline; it syncs when the hub is reachable.', teamUrl: 'Hub address', teamToken: 'Token', teamCa: 'Team certificate', teamCaNone: 'none needed for a publicly signed hub', teamCaChoose: 'Choose…', teamCaClear: 'No certificate', teamJoinButton: 'Join', teamLeave: 'Leave the team', teammatesClaim: '{who}\'s claim — only {who} changes it', teamVerify: 'Check against the team', teamVerifying: 'Checking…', teamVerified: '{checked} items compared with the team: {same} alike, {pending} changed here since', teamDivergent: '{n} differ from the team — a fault in Dossier; please report it', teamRepaired: '{n} set to the team\'s state (undo takes it back)', teamRepair: 'Set them to the team\'s state', teamLeft: 'This notebook left its team; its content stays.', syncNow: 'Sync now', syncing: 'Syncing…', synced: 'Synced: {pushed} sent, {pulled} received', syncedAt: 'synced {at}', neverSynced: 'not synced yet', offline: 'offline', syncRefused: 'sync refused', toPush: '{n} to send', teamAs: 'as {analyst} ({role})', syncConflicts: '{n} conflicts decided by the team — see Team', teamConflicts: 'Conflicts', noConflicts: 'No conflicts.', conflictKept: 'kept', conflictLost: 'lost', wholeEntity: 'the whole item', teamScope: 'Articles pulled whole', teamScopeAll: 'every article of the team', teamScopeCoded: 'coded {codes}', teamScopeDated: 'dated {from} – {to}', teamScopeInSets: 'in set {sets}', teamScopeWith: 'with {values}', teamScopeValues: 'Attribute values (name=value; …)', teamScopeEdit: 'Change…', teamScopeHint: 'Only articles coded with one of the chosen codes (or a code under them), in one of the chosen sets, with one of the values and dated within the range come whole (each criterion you give must hold); the others are listed below with their metadata and come when you pull them. Articles already here stay.', teamScopeFrom: 'From (YYYY, YYYY-MM or YYYY-MM-DD)', teamScopeTo: 'To', teamScopeSave: 'Save and sync', teamScopeEverything: 'Pull everything', teamNotPulled: 'Not pulled', teamNotPulledNone: 'Every article of the team is here.', teamPull: 'Pull', teamPullAll: 'Pull all {n}', teamStubClaims: '{n} claims waiting', teamPulled: '{n} articles pulled',
  nothingToUndo: 'Nothing to undo.', nothingToRedo: 'Nothing to redo.', undid: 'Undone: {what} of a {entity}', redid: 'Redone: {what} of a {entity}',
  action_add: 'adding', action_edit: 'change', action_delete: 'deletion', action_restore: 'restoring',
  entity_claim: 'claim', entity_relation: 'relation', entity_verdict: 'verdict', entity_note: 'note', entity_article: 'article', entity_codebook: 'codebook', claimHistory: 'History', undone: 'undone', trash: 'Trash', trashHint: 'Deleted articles, claims and notes stay here for 30 days.', restore: 'Restore', trashEmpty: 'The trash is empty.', restoredItem: 'Restored: {title}',
  shortcutUndo: 'Undo / redo the last change to a claim, note or article',
  suggestClaims: 'Suggest claims', noSuggestions: 'No further suggestions for this article.', acceptSuggestion: 'Make it a claim',
  hedging: 'Hedging', asserted: 'asserted', hedged: 'hedged', speculative: 'speculative',
  verdict: 'Verdict', unverified: 'unverified', supported: 'supported', disputed: 'disputed', refuted: 'refuted',
  recordVerdict: 'Record', verdictNote: 'Why (and evidence: claim:ID, note:ID or a web address, one per line)', relations: 'Relations',
  supportsRel: 'supports', contradictsRel: 'contradicts', qualifiesRel: 'qualifies', repeatsRel: 'repeats', relateTo: 'Relate to a claim…', relationComment: 'Comment (optional)',
  thisClaim: 'this claim', removeRelation: 'Remove relation',
  versions: 'Versions', importNewVersion: 'Import new version…', carried: 'Claims carried to the new version: {exact} exact, {changed} changed, {orphaned} not found (review queue)',
  anchorChanged: 'text changed in this version', anchorChangedHint: 'Re-anchored to text that differs from the original quote', anchorOrphaned: 'not found in the newer version',
  reviewQueue: 'Not found in this version', reviewQueueHint: 'Claims of an earlier version whose passage is gone. Attach each to a passage here, or dismiss it (it stays on the earlier version).',
  attach: 'Attach…', selectPassage: 'Now select the passage', dismissOrphan: 'Dismiss', reattached: 'Claim attached to this version',
  looksLikeVersion: 'Same address as “{title}” — a new version?', carryClaims: 'Carry its claims over',
  syntaxWords: 'all words must occur; German words also find compounds (Integrität → Datenintegrität)', syntaxPhrase: 'exact phrase', syntaxNot: 'exclude a word', syntaxOr: 'either (group with parentheses)',
  syntaxPrefix: 'words starting with “netw”', syntaxFields: 'filter by code, stance, language, kind, claimant, analyst; search titles', syntaxDate: 'published (claims: their article’s) between 2024 and 2025; also 2024-03 or ..2023',
  kindArticle: 'Articles', kindClaim: 'Claims', kindNote: 'Notes', allKinds: 'Everything',
  exportTitle: 'Export', format: 'Format', scope: 'Scope', wholeNotebook: 'Whole notebook', thisArticle: 'Current article', oneCode: 'Claims with a code',
  mdFolder: 'Markdown — one file per article (folder)', mdFile: 'Markdown — one file', csv: 'CSV — one row per claim', chooseAndExport: 'Choose location and export',
  fmtW3c: 'W3C Web Annotation (JSON-LD) — for Hypothesis and annotation tools', fmtQdpx: 'REFI-QDA project (.qdpx) — NVivo, ATLAS.ti, MAXQDA, QualCoder',
  fmtQdc: 'REFI-QDA codebook (.qdc)', fmtCsl: 'CSL-JSON references — Zotero, pandoc', fmtBibtex: 'BibTeX / biblatex references', fmtRis: 'RIS references',
  fmtObsidian: 'Obsidian vault — Markdown with callouts and links (folder)', fmtHtml: 'HTML report — printable, self-contained', fmtBackup: 'Backup — the whole notebook as one zip',
  groupAnnotated: 'Annotated text', groupInterchange: 'Other tools', groupReferences: 'References', groupArchive: 'Report and archive',
  scopeFixed: 'This format always covers the whole notebook.', printReport: 'Print report…', restoreBackup: 'Restore backup…', restoreInto: 'New notebook folder for the restored backup',
  restored: 'Backup restored: {path}', secondsLeft: 'about {n} s left', pageShort: 'p. {n}', pagesWithoutText: 'Pages without a text layer (images only; run OCR to read them): {pages}.', pagesIncomplete: 'Not all text could be read on pages {pages}: {n} of {of} characters there have no readable text.', pagesRead: '{n} of {of} read whole', pdfNotMeasured: 'Read with an earlier PDF reader ({parser}), before Dossier measured what each page lost: parts of the text may be missing (Chinese text in particular). Compare it with the original.', languageMix: 'Languages', readingWarnings: 'Read incompletely', repairQuestion: 'Repair what can be repaired now (rebuild the search index, remove unused original files)?', pages: 'Pages', minutesLeft: 'about {n} min left', textView: 'Text', pageView: 'Page', readingModeLabel: 'Read as', zoomIn: 'Zoom in', zoomOut: 'Zoom out', fitWidth: 'Fit width', contents: 'Contents', pageOfN: 'Page {n} of {of}', goToPage: 'Go to page', pdfRenderFailed: 'The original could not be shown as pages: {message}', pageNoWords: 'Page {n} has no text Dossier could place on it: select in the text view.', loadingPages: 'Loading the pages…', region: 'Region', drawRegion: 'Draw a region around a chart, table or figure', regionOnPage: 'Region on p. {n}', regionShort: 'region', pageImageOnly: 'This page has no text layer (an image only): its text is not in Dossier.', pagePartlyRead: 'Not all text of this page could be read: {n} of {of} characters are missing from Dossier\'s text.', imageNotKept: 'Image not kept (a format Dossier does not show, or beyond its limits; the import said which)',
  exported: 'Exported {n} file(s)', overwrite: '“{path}” exists. Overwrite?',
  importing: 'Importing', importDone: 'Import finished: {ok} imported, {dup} duplicates, {bad} failed', failedFiles: 'Files that could not be imported', skippedEntries: 'Skipped (not regular files, or links out of the folder)',
  dropHere: 'Drop files or folders to import them', help: 'Keyboard shortcuts', about: 'About Dossier', version: 'Version',
  theme: 'Theme', light: 'Light', dark: 'Dark', interfaceLanguage: 'Language',
  shortcutPalette: 'Search everything', shortcutImport: 'Import files', shortcutNote: 'New note', shortcutClaim: 'Create a claim from the selection',
  shortcutHelp: 'Show this help', shortcutEscape: 'Close dialogs and popovers', shortcutExport: 'Export',
  aboutText: 'A research notebook for articles, claims and notes. Works offline; your notebook is a folder on your disk.',
  errorPrefix: 'Could not complete this', notebook: 'Notebook', check: 'Check notebook', checkOk: 'Notebook is consistent.', reindex: 'Rebuild search index',
  confirmDeleteNote: 'Delete this note?', openLinkQuestion: 'Open {url} in your web browser?', exporting: 'Exporting', reindexing: 'Rebuilding the search index', findQuote: 'Type the passage to mark…', findQuoteHint: 'Enter: next occurrence · Ctrl+Enter: make it a claim · Esc: close', shortcutFind: 'Select a passage by typing it (then Ctrl+Enter)', sortBy: 'Sort', openArticle: 'Open article',
  attributes: 'Attributes', sets: 'Sets', savedSearches: 'Saved searches', newSet: 'New set…', setNamePrompt: 'Name of the new set (letters, digits, _ - .)', allSets: 'All articles',
  addToSet: 'Add to set…', removeFromSet: 'Remove from this set', defineAttribute: 'New attribute…', attributeName: 'Name', attributeType: 'Type', choices: 'Choices (comma-separated)',
  type_text: 'text', type_number: 'number', type_date: 'date', type_choice: 'choice', noValue: '—', attributeDeleted: 'Attribute “{name}” removed', setDeleted: 'Set “{name}” removed',
  saveSearch: 'Save search…', searchNamePrompt: 'Name of the saved search', searchSaved: 'Search saved as “{name}”', dropOnSet: 'Drop articles on a set to add them', define: 'Define',
  entity_attribute: 'attribute', entity_set: 'set', entity_search: 'saved search', action_remove: 'removal', deleteSavedSearch: 'Remove saved search', deleteSet: 'Remove set', deleteAttribute: 'Remove attribute',
  changeSpan: 'Change span…', changeSpanHint: 'Select the passage this claim should mark instead; its codes, verdict, relations and history stay.', selectNewSpan: 'Select the new passage for “{quote}” (Esc cancels).', spanMoved: 'Claim moved to the new passage',
  translations: 'Translations', addTranslation: 'Add translation', translationLanguage: 'Language', translationText: 'Translation of the quote…', translationRemoved: 'Translation removed', removeTranslation: 'Remove translation',
  glossary: 'Glossary', glossaryHint: 'Terms that name one concept across languages. Search expands them when “Glossary” is ticked.', addTerms: 'Add terms', termRemoved: 'Removed “{term}”',
  expandGlossary: 'Glossary', expandGlossaryHint: 'Also find the glossary’s other terms for each word (Transparenz → transparency, 透明度)', memo: 'Memo', memoHint: 'Definition, when to use it, when not, examples (Markdown)', entity_glossary: 'the glossary',
  setMemoHint: 'Why these articles belong together (Markdown)', showAttribute: 'Column',
  chartKind: 'Chart', chartBars: 'Bars', chartTimeline: 'Timeline',
  openLink: 'Open this link', linkCopied: 'Link copied: paste it in a document; clicking it opens this claim in Dossier', copyLink: 'Copy link',
  importCodebook: 'Import codebook', importCodebookHint: 'Merge a REFI-QDA codebook (.qdc) or a CSV (path, color, description, memo) into this codebook by path', codebookImported: 'Codebook: {added} added, {updated} updated, {unchanged} unchanged',
  claimsTable: 'Table of claims', tableTotal: '{n} claims', quoteContains: 'Quote contains…', any: 'any', selectedClaims: '{n} selected',
  removeCode: 'Remove code', applyToSelected: 'Apply to selected', clearSelection: 'Clear selection', quoteColumn: 'Quote', articleColumn: 'Article',
  analystColumn: 'Analyst', tableEmpty: 'No claims match.', select: 'Select', recoded: 'Changed {changed} of {claims} claims', wroteClaims: 'Wrote {n} claims',
  shortcutTable: 'Table of all claims', table: 'Table',
  shortcutMatrix: 'Matrix of claims (code × attribute…)', matrix: 'Matrix', rowsAxis: 'Rows', colsAxis: 'Columns', measure: 'Show', measureCount: 'count', measureStance: 'stance', measureVerdict: 'verdict', exportCsv: 'CSV…', saveChart: 'Save chart', total: 'Total',
  axis_code: 'code', axis_set: 'set', axis_analyst: 'analyst', axis_month: 'month', axis_stance: 'stance', axis_verdict: 'verdict', axis_lang: 'language', noValueLabel: '(no value)', cellClaims: '{n} claim(s) in {row} × {col}', matrixEmpty: 'No claims in this matrix yet.', chartBy: 'Bars split by',
};

type Dict = typeof en;

const de: Dict = {
  articles: 'Artikel', notes: 'Notizen', codebook: 'Codebuch', search: 'Suche', import: 'Importieren', export: 'Exportieren',
  importFiles: 'Dateien importieren…', importFolder: 'Ordner importieren…', openNotebook: 'Notizbuch öffnen…', newNotebook: 'Neues Notizbuch…',
  filter: 'Filtern…', allLanguages: 'Alle Sprachen', allCodes: 'Alle Codes', sortNewest: 'Neueste zuerst', sortTitle: 'Titel A–Z',
  sortPublished: 'Erscheinungsdatum', claimsCount: 'Aussagen', noArticle: 'Links einen Artikel wählen oder einen importieren.',
  metadata: 'Details', source: 'Quelle', language: 'Sprache', published: 'Erschienen', imported: 'Importiert',
  sha256: 'SHA-256 der Datei', textSha256: 'SHA-256 des Textes', parser: 'Parser', file: 'Datei', author: 'Autor:in',
  claims: 'Aussagen', newClaim: 'Neue Aussage', editClaim: 'Aussage bearbeiten', codes: 'Codes', stance: 'Haltung', confidence: 'Sicherheit',
  claimant: 'Urheber:in', comment: 'Kommentar', save: 'Speichern', cancel: 'Abbrechen', delete: 'Löschen', undo: 'Rückgängig', close: 'Schließen',
  supports: 'stützt', contests: 'bestreitet', neutral: 'neutral', unclear: 'unklar', allStances: 'Alle Haltungen',
  typeCode: 'Code suchen…', claimDeleted: 'Aussage gelöscht', claimSaved: 'Aussage gespeichert', noClaims: 'Noch keine Aussagen. Text markieren, um eine anzulegen.',
  newNote: 'Neue Notiz', title: 'Titel', body: 'Text', preview: 'Vorschau', edit: 'Bearbeiten', noteSaved: 'Notiz gespeichert',
  linkHint: 'Mit [[ einen Artikel oder eine Aussage verlinken.', backlinks: 'Verlinkt in Notizen', noNotes: 'Noch keine Notizen.',
  addCode: 'Code hinzufügen', rename: 'Umbenennen', moveTo: 'Verschieben unter…', mergeInto: 'Zusammenführen mit…', mergeQuestion: '„{from}“ mit „{into}“ zusammenführen? Aussagen und Untercodes wandern zu „{into}“, dann wird „{from}“ gelöscht.', topLevel: '(oberste Ebene)', description: 'Beschreibung', color: 'Farbe',
  deleteCodeQuestion: 'Code „{path}“ löschen?', deleteCodeUsed: 'Er wird von {n} Aussage(n) verwendet oder hat Untercodes. Die Aussagen bleiben erhalten; nur der Code wird entfernt.',
  searchPlaceholder: 'Artikel, Aussagen und Notizen durchsuchen…', noResults: 'Nichts gefunden.', results: '{n} Treffer',
  searchFuzzy: 'Nichts passte genau – Treffer mit kleinen Tippfehlern.', searchPartial: 'Wenige Treffer enthalten alle Wörter: die übrigen enthalten einige davon, die meisten zuerst.', partialShort: 'einige Wörter', partialHit: 'Enthält nur einige der gesuchten Wörter', searchPlain: 'Die Suchanfrage war nicht lesbar (offenes Anführungszeichen oder Klammer, unbekannter Feldwert); gesucht wurde nach ihren Wörtern.',
  searchRebuilding: 'Der Suchindex wird neu aufgebaut ({done} von {total}); bis dahin fehlen eventuell Treffer.', searchRebuildingPrevious: 'Der Suchindex wird neu aufgebaut ({done} von {total}); bis dahin kommen die Treffer aus dem bisherigen Index, ohne die Änderungen seither.', showMore: 'Mehr anzeigen', linksTo: 'verweist auf',
  facetStance: 'Haltung', querySyntax: 'Suchsyntax',
  agreement: 'Übereinstimmung zwischen Analysten', pickTwoAnalysts: 'Bitte zwei verschiedene Analysten wählen.', needTwoAnalysts: 'Es braucht Aussagen von zwei Analysten (ein anderes Notizbuch zusammenführen: dossier merge).',
  code: 'Code', overall: 'gesamt', agreementUnits: 'Einheiten: {n} Zeichen in {articles} Artikel(n); κ = Cohens Kappa, α = Krippendorffs Alpha.', disagreements: 'Aussagen, die nur eine Person gemacht hat', onlyBy: 'nur {who}', adoptFor: 'Für {who} übernehmen',
  analystName: 'Name als Analyst', analystAsk: 'Ihr Name als Analyst (wird mit jeder Aussage gespeichert):', later: 'Später',
  team: 'Team', teamJoin: 'Einem Team beitreten…', teamJoinHint: 'Die Adresse des Hubs und Ihr Token erhalten Sie vom Eigentümer des Teams. Ihr Notizbuch bleibt auf diesem Rechner vollständig und funktioniert offline; es synchronisiert, wenn der Hub erreichbar ist.', teamUrl: 'Adresse des Hubs', teamToken: 'Token', teamCa: 'Zertifikat des Teams', teamCaNone: 'bei einem öffentlich signierten Hub nicht nötig', teamCaChoose: 'Auswählen…', teamCaClear: 'Kein Zertifikat', teamJoinButton: 'Beitreten', teamLeave: 'Team verlassen', teammatesClaim: 'Aussage von {who} — nur {who} ändert sie', teamVerify: 'Mit dem Team abgleichen', teamVerifying: 'Gleiche ab…', teamVerified: '{checked} Elemente mit dem Team verglichen: {same} gleich, {pending} hier seither geändert', teamDivergent: '{n} weichen vom Team ab — ein Fehler in Dossier; bitte melden', teamRepaired: '{n} auf den Stand des Teams gesetzt (Rückgängig nimmt es zurück)', teamRepair: 'Auf den Stand des Teams setzen', teamLeft: 'Dieses Notizbuch hat sein Team verlassen; der Inhalt bleibt.', syncNow: 'Jetzt synchronisieren', syncing: 'Synchronisiere…', synced: 'Synchronisiert: {pushed} gesendet, {pulled} empfangen', syncedAt: 'synchronisiert {at}', neverSynced: 'noch nicht synchronisiert', offline: 'offline', syncRefused: 'Synchronisierung abgelehnt', toPush: '{n} zu senden', teamAs: 'als {analyst} ({role})', syncConflicts: '{n} Konflikte vom Team entschieden — siehe Team', teamConflicts: 'Konflikte', noConflicts: 'Keine Konflikte.', conflictKept: 'behalten', conflictLost: 'verworfen', wholeEntity: 'das ganze Element', teamScope: 'Ganz geladene Artikel', teamScopeAll: 'alle Artikel des Teams', teamScopeCoded: 'codiert mit {codes}', teamScopeDated: 'datiert {from} – {to}', teamScopeInSets: 'im Set {sets}', teamScopeWith: 'mit {values}', teamScopeValues: 'Attributwerte (Name=Wert; …)', teamScopeEdit: 'Ändern…', teamScopeHint: 'Nur Artikel, die mit einem der gewählten Codes (oder einem Code darunter) codiert, in einem der gewählten Sets, mit einem der Werte und im Zeitraum datiert sind, kommen ganz (jedes angegebene Kriterium muss gelten); die übrigen stehen unten mit ihren Metadaten und kommen, wenn Sie sie laden. Artikel, die schon hier sind, bleiben.', teamScopeFrom: 'Von (JJJJ, JJJJ-MM oder JJJJ-MM-TT)', teamScopeTo: 'Bis', teamScopeSave: 'Speichern und synchronisieren', teamScopeEverything: 'Alles laden', teamNotPulled: 'Nicht geladen', teamNotPulledNone: 'Alle Artikel des Teams sind hier.', teamPull: 'Laden', teamPullAll: 'Alle {n} laden', teamStubClaims: '{n} Aussagen warten', teamPulled: '{n} Artikel geladen',
  nothingToUndo: 'Nichts rückgängig zu machen.', nothingToRedo: 'Nichts wiederherzustellen.', undid: 'Rückgängig: {what} – {entity}', redid: 'Wiederhergestellt: {what} – {entity}',
  action_add: 'Anlegen', action_edit: 'Änderung', action_delete: 'Löschen', action_restore: 'Wiederherstellen',
  entity_claim: 'Aussage', entity_relation: 'Beziehung', entity_verdict: 'Urteil', entity_note: 'Notiz', entity_article: 'Artikel', entity_codebook: 'Codebuch', claimHistory: 'Verlauf', undone: 'rückgängig gemacht', trash: 'Papierkorb', trashHint: 'Gelöschte Artikel, Aussagen und Notizen bleiben 30 Tage hier.', restore: 'Wiederherstellen', trashEmpty: 'Der Papierkorb ist leer.', restoredItem: 'Wiederhergestellt: {title}',
  shortcutUndo: 'Letzte Änderung an Aussage, Notiz oder Artikel rückgängig / wiederholen',
  suggestClaims: 'Aussagen vorschlagen', noSuggestions: 'Keine weiteren Vorschläge für diesen Artikel.', acceptSuggestion: 'Als Aussage übernehmen',
  hedging: 'Absicherung', asserted: 'behauptet', hedged: 'eingeschränkt', speculative: 'spekulativ',
  verdict: 'Bewertung', unverified: 'ungeprüft', supported: 'belegt', disputed: 'umstritten', refuted: 'widerlegt',
  recordVerdict: 'Festhalten', verdictNote: 'Begründung (und Belege: claim:ID, note:ID oder Webadresse, je Zeile)', relations: 'Beziehungen',
  supportsRel: 'stützt', contradictsRel: 'widerspricht', qualifiesRel: 'schränkt ein', repeatsRel: 'wiederholt', relateTo: 'Mit einer Aussage verknüpfen…', relationComment: 'Kommentar (optional)',
  thisClaim: 'diese Aussage', removeRelation: 'Beziehung entfernen',
  versions: 'Versionen', importNewVersion: 'Neue Version importieren…', carried: 'Aussagen in die neue Version übernommen: {exact} unverändert, {changed} geändert, {orphaned} nicht gefunden (Prüfliste)',
  anchorChanged: 'Text in dieser Version geändert', anchorChangedHint: 'Neu verankert an Text, der vom ursprünglichen Zitat abweicht', anchorOrphaned: 'in der neueren Version nicht gefunden',
  reviewQueue: 'In dieser Version nicht gefunden', reviewQueueHint: 'Aussagen einer früheren Version, deren Passage fehlt. Jeweils einer Passage hier zuordnen oder verwerfen (sie bleibt an der früheren Version).',
  attach: 'Zuordnen…', selectPassage: 'Jetzt die Passage markieren', dismissOrphan: 'Verwerfen', reattached: 'Aussage dieser Version zugeordnet',
  looksLikeVersion: 'Gleiche Adresse wie „{title}“ – eine neue Version?', carryClaims: 'Aussagen übernehmen',
  syntaxWords: 'alle Wörter müssen vorkommen; deutsche Wörter finden auch Komposita (Integrität → Datenintegrität)', syntaxPhrase: 'genaue Wortfolge', syntaxNot: 'Wort ausschließen', syntaxOr: 'eines von beiden (Klammern gruppieren)',
  syntaxPrefix: 'Wörter, die mit „netw“ beginnen', syntaxFields: 'nach Code, Haltung, Sprache, Art, Urheber, Analyst filtern; Titel durchsuchen', syntaxDate: 'veröffentlicht (Aussagen: ihr Artikel) 2024 bis 2025; auch 2024-03 oder ..2023',
  kindArticle: 'Artikel', kindClaim: 'Aussagen', kindNote: 'Notizen', allKinds: 'Alles',
  exportTitle: 'Exportieren', format: 'Format', scope: 'Umfang', wholeNotebook: 'Ganzes Notizbuch', thisArticle: 'Aktueller Artikel', oneCode: 'Aussagen mit einem Code',
  mdFolder: 'Markdown — eine Datei pro Artikel (Ordner)', mdFile: 'Markdown — eine Datei', csv: 'CSV — eine Zeile pro Aussage', chooseAndExport: 'Ort wählen und exportieren',
  fmtW3c: 'W3C Web Annotation (JSON-LD) — für Hypothesis und Annotationswerkzeuge', fmtQdpx: 'REFI-QDA-Projekt (.qdpx) — NVivo, ATLAS.ti, MAXQDA, QualCoder',
  fmtQdc: 'REFI-QDA-Codebuch (.qdc)', fmtCsl: 'CSL-JSON-Literatur — Zotero, pandoc', fmtBibtex: 'BibTeX / biblatex-Literatur', fmtRis: 'RIS-Literatur',
  fmtObsidian: 'Obsidian-Vault — Markdown mit Callouts und Links (Ordner)', fmtHtml: 'HTML-Bericht — druckbar, eigenständig', fmtBackup: 'Sicherung — das ganze Notizbuch als ZIP',
  groupAnnotated: 'Annotierter Text', groupInterchange: 'Andere Programme', groupReferences: 'Literaturangaben', groupArchive: 'Bericht und Archiv',
  scopeFixed: 'Dieses Format umfasst immer das ganze Notizbuch.', printReport: 'Bericht drucken…', restoreBackup: 'Sicherung wiederherstellen…', restoreInto: 'Neuer Notizbuch-Ordner für die wiederhergestellte Sicherung',
  restored: 'Sicherung wiederhergestellt: {path}', secondsLeft: 'noch etwa {n} s', pageShort: 'S. {n}', pagesWithoutText: 'Seiten ohne Textebene (nur Bilder; mit OCR lesbar machen): {pages}.', pagesIncomplete: 'Auf den Seiten {pages} ließ sich nicht aller Text lesen: {n} von {of} Zeichen dort haben keinen lesbaren Text.', pagesRead: '{n} von {of} vollständig gelesen', pdfNotMeasured: 'Mit einem früheren PDF-Leser ({parser}) gelesen, bevor Dossier maß, was jeder Seite fehlt: Teile des Texts können fehlen (besonders chinesischer Text). Mit dem Original vergleichen.', languageMix: 'Sprachen', readingWarnings: 'Unvollständig gelesen', repairQuestion: 'Jetzt reparieren, was sich reparieren lässt (Suchindex neu aufbauen, ungenutzte Originaldateien entfernen)?', pages: 'Seiten', minutesLeft: 'noch etwa {n} min', textView: 'Text', pageView: 'Seite', readingModeLabel: 'Lesen als', zoomIn: 'Vergrößern', zoomOut: 'Verkleinern', fitWidth: 'Seitenbreite', contents: 'Inhalt', pageOfN: 'Seite {n} von {of}', goToPage: 'Gehe zu Seite', pdfRenderFailed: 'Das Original ließ sich nicht als Seiten zeigen: {message}', pageNoWords: 'Auf Seite {n} konnte Dossier keinen Text platzieren: in der Textansicht markieren.', loadingPages: 'Seiten werden geladen…', region: 'Bereich', drawRegion: 'Einen Bereich um ein Diagramm, eine Tabelle oder eine Abbildung ziehen', regionOnPage: 'Bereich auf S. {n}', regionShort: 'Bereich', pageImageOnly: 'Diese Seite hat keine Textebene (nur ein Bild): ihr Text fehlt in Dossier.', pagePartlyRead: 'Nicht aller Text dieser Seite ließ sich lesen: {n} von {of} Zeichen fehlen in Dossiers Text.', imageNotKept: 'Bild nicht übernommen (ein Format, das Dossier nicht zeigt, oder über den Grenzen; der Import nannte es)',
  exported: '{n} Datei(en) exportiert', overwrite: '„{path}“ existiert. Überschreiben?',
  importing: 'Import läuft', importDone: 'Import fertig: {ok} importiert, {dup} Duplikate, {bad} fehlgeschlagen', failedFiles: 'Nicht importierte Dateien', skippedEntries: 'Übersprungen (keine normalen Dateien oder Verweise aus dem Ordner heraus)',
  dropHere: 'Dateien oder Ordner zum Importieren ablegen', help: 'Tastenkürzel', about: 'Über Dossier', version: 'Version',
  theme: 'Design', light: 'Hell', dark: 'Dunkel', interfaceLanguage: 'Sprache',
  shortcutPalette: 'Alles durchsuchen', shortcutImport: 'Dateien importieren', shortcutNote: 'Neue Notiz', shortcutClaim: 'Aussage aus der Markierung anlegen',
  shortcutHelp: 'Diese Hilfe zeigen', shortcutEscape: 'Dialoge und Popover schließen', shortcutExport: 'Exportieren',
  aboutText: 'Ein Recherche-Notizbuch für Artikel, Aussagen und Notizen. Funktioniert offline; Ihr Notizbuch ist ein Ordner auf Ihrer Festplatte.',
  errorPrefix: 'Das hat nicht geklappt', notebook: 'Notizbuch', check: 'Notizbuch prüfen', checkOk: 'Notizbuch ist konsistent.', reindex: 'Suchindex neu aufbauen',
  confirmDeleteNote: 'Diese Notiz löschen?', openLinkQuestion: '{url} im Webbrowser öffnen?', exporting: 'Export läuft', reindexing: 'Suchindex wird neu aufgebaut', findQuote: 'Textstelle eintippen, die markiert werden soll…', findQuoteHint: 'Enter: nächste Fundstelle · Strg+Enter: als Aussage anlegen · Esc: schließen', shortcutFind: 'Textstelle durch Eintippen markieren (dann Strg+Enter)', sortBy: 'Sortierung', openArticle: 'Artikel öffnen',
  attributes: 'Attribute', sets: 'Sets', savedSearches: 'Gespeicherte Suchen', newSet: 'Neues Set…', setNamePrompt: 'Name des neuen Sets (Buchstaben, Ziffern, _ - .)', allSets: 'Alle Artikel',
  addToSet: 'Zu Set hinzufügen…', removeFromSet: 'Aus diesem Set entfernen', defineAttribute: 'Neues Attribut…', attributeName: 'Name', attributeType: 'Typ', choices: 'Auswahlwerte (durch Kommas getrennt)',
  type_text: 'Text', type_number: 'Zahl', type_date: 'Datum', type_choice: 'Auswahl', noValue: '—', attributeDeleted: 'Attribut „{name}“ entfernt', setDeleted: 'Set „{name}“ entfernt',
  saveSearch: 'Suche speichern…', searchNamePrompt: 'Name der gespeicherten Suche', searchSaved: 'Suche gespeichert als „{name}“', dropOnSet: 'Artikel auf ein Set ziehen, um sie hinzuzufügen', define: 'Anlegen',
  entity_attribute: 'Attribut', entity_set: 'Set', entity_search: 'gespeicherte Suche', action_remove: 'Entfernen', deleteSavedSearch: 'Gespeicherte Suche entfernen', deleteSet: 'Set entfernen', deleteAttribute: 'Attribut entfernen',
  changeSpan: 'Stelle ändern…', changeSpanHint: 'Die Passage markieren, die diese Aussage stattdessen kennzeichnen soll; Codes, Bewertung, Relationen und Verlauf bleiben.', selectNewSpan: 'Neue Passage für „{quote}“ markieren (Esc bricht ab).', spanMoved: 'Aussage auf die neue Passage verschoben',
  translations: 'Übersetzungen', addTranslation: 'Übersetzung hinzufügen', translationLanguage: 'Sprache', translationText: 'Übersetzung des Zitats…', translationRemoved: 'Übersetzung entfernt', removeTranslation: 'Übersetzung entfernen',
  glossary: 'Glossar', glossaryHint: 'Begriffe, die denselben Gegenstand in mehreren Sprachen benennen. Die Suche erweitert sie, wenn „Glossar“ angehakt ist.', addTerms: 'Begriffe hinzufügen', termRemoved: '„{term}“ entfernt',
  expandGlossary: 'Glossar', expandGlossaryHint: 'Zu jedem Wort auch die anderen Begriffe des Glossars finden (Transparenz → transparency, 透明度)', memo: 'Memo', memoHint: 'Definition, wann verwenden, wann nicht, Beispiele (Markdown)', entity_glossary: 'Glossar',
  setMemoHint: 'Warum diese Artikel zusammengehören (Markdown)', showAttribute: 'Spalte',
  chartKind: 'Diagramm', chartBars: 'Balken', chartTimeline: 'Zeitverlauf',
  openLink: 'Diesen Link öffnen', linkCopied: 'Link kopiert: in ein Dokument einfügen; ein Klick öffnet diese Aussage in Dossier', copyLink: 'Link kopieren',
  importCodebook: 'Codebuch importieren', importCodebookHint: 'Ein REFI-QDA-Codebuch (.qdc) oder eine CSV (path, color, description, memo) nach Pfad in dieses Codebuch übernehmen', codebookImported: 'Codebuch: {added} neu, {updated} geändert, {unchanged} unverändert',
  claimsTable: 'Tabelle der Aussagen', tableTotal: '{n} Aussagen', quoteContains: 'Zitat enthält…', any: 'alle', selectedClaims: '{n} ausgewählt',
  removeCode: 'Code entfernen', applyToSelected: 'Auf Auswahl anwenden', clearSelection: 'Auswahl aufheben', quoteColumn: 'Zitat', articleColumn: 'Artikel',
  analystColumn: 'Analyst:in', tableEmpty: 'Keine Aussagen passen.', select: 'Auswählen', recoded: '{changed} von {claims} Aussagen geändert', wroteClaims: '{n} Aussagen geschrieben',
  shortcutTable: 'Tabelle aller Aussagen', table: 'Tabelle',
  shortcutMatrix: 'Matrix der Aussagen (Code × Attribut…)', matrix: 'Matrix', rowsAxis: 'Zeilen', colsAxis: 'Spalten', measure: 'Zeigen', measureCount: 'Anzahl', measureStance: 'Haltung', measureVerdict: 'Bewertung', exportCsv: 'CSV…', saveChart: 'Diagramm speichern', total: 'Summe',
  axis_code: 'Code', axis_set: 'Set', axis_analyst: 'Analyst:in', axis_month: 'Monat', axis_stance: 'Haltung', axis_verdict: 'Bewertung', axis_lang: 'Sprache', noValueLabel: '(kein Wert)', cellClaims: '{n} Aussage(n) in {row} × {col}', matrixEmpty: 'Noch keine Aussagen in dieser Matrix.', chartBy: 'Balken aufgeteilt nach',
};

export type Lang = 'en' | 'de';
const dicts: Record<Lang, Dict> = { en, de };

function initial(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('dossier.lang') : null;
  if (saved === 'en' || saved === 'de') return saved;
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export const locale = $state({ lang: initial() });

export function setLang(lang: Lang) {
  locale.lang = lang;
  localStorage.setItem('dossier.lang', lang);
  document.documentElement.lang = lang;
}

/** Looks up a text and fills `{name}` placeholders. */
export function t(key: keyof Dict, vars: Record<string, string | number> = {}): string {
  let s = dicts[locale.lang][key] ?? en[key];
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/** Words for error codes: what a person can do about it. */
export function describeError(e: { code: string; message: string }): string {
  const de = locale.lang === 'de';
  const hints: Record<string, [string, string]> = {
    busy: ['Another Dossier window or the command line is writing to this notebook. Try again in a moment.', 'Ein anderes Dossier-Fenster oder die Kommandozeile schreibt gerade in dieses Notizbuch. Bitte gleich noch einmal versuchen.'],
    notebook_too_new: ['This notebook was made by a newer Dossier. Please update the app.', 'Dieses Notizbuch stammt aus einer neueren Dossier-Version. Bitte die App aktualisieren.'],
    unauthorized: ['The team hub refused this notebook\'s token. Ask the team\'s owner for a new one and join again.', 'Der Team-Hub hat das Token dieses Notizbuchs abgelehnt. Bitte beim Eigentümer des Teams ein neues erfragen und neu beitreten.'],
    unreachable: ['The team hub cannot be reached. Everything keeps working here; the next sync catches up.', 'Der Team-Hub ist nicht erreichbar. Hier funktioniert alles weiter; die nächste Synchronisierung holt alles nach.'],
    quote_not_found: ['The selected text could not be found in the article.', 'Der markierte Text wurde im Artikel nicht gefunden.'],
  };
  const hint = hints[e.code];
  return hint ? `${hint[de ? 1 : 0]} (${e.message})` : e.message;
}
