//! `dossier`: the command-line face of the Notebook façade. Parsing arguments
//! and printing results is all it does; every decision lives in the libraries.

mod args;
mod print;

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Parser;
use dossier::model::{
    ClaimPatch, ClaimTarget, Error, ExportFormat, ExportScope, Hedging, ImportStatus, Kind,
    NewClaim, RelationKind, Result, SearchRequest, Stance, Verdict,
};
use dossier::Notebook;

/// Counts the heap; the extraction child caps it (see `dossier::Heap`).
#[global_allocator]
static HEAP: dossier::Heap = dossier::Heap::new(std::alloc::System, usize::MAX);

use args::{ClaimCmd, Cli, CodesCmd, Command, NoteCmd, RelationCmd};
use print::Out;

fn main() -> ExitCode {
    dossier::serve_extraction_child(&HEAP);
    let cli = Cli::parse();
    let out = Out { json: cli.json };
    match run(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::from(1)
        }
    }
}

fn analyst_default() -> Option<String> {
    std::env::var("DOSSIER_ANALYST")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
}

fn parse_hedging(s: &str) -> Result<Hedging> {
    Hedging::parse(s).ok_or_else(|| {
        Error::invalid(format!(
            "unknown hedging '{s}' (use asserted, hedged or speculative)"
        ))
    })
}

fn parse_stance(s: &str) -> Result<Stance> {
    Stance::parse(s).ok_or_else(|| {
        Error::invalid(format!(
            "unknown stance '{s}' (use supports, contests, neutral or unclear)"
        ))
    })
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
    match cli.command {
        Command::Restore { .. } => unreachable!("handled above"),
        Command::Init { .. } => unreachable!("handled above"),
        Command::Import {
            paths,
            replaces: Some(old),
        } => {
            let [path] = paths.as_slice() else {
                return Err(Error::invalid("--replaces takes exactly one file"));
            };
            let report = nb.import_new_version(path, &old)?;
            nb.flush_index()?;
            out.value(&report, print::carry_text);
        }
        cmd @ (Command::Undo | Command::Redo) => {
            let undo = matches!(cmd, Command::Undo);
            let done = if undo { nb.undo()? } else { nb.redo()? };
            nb.flush_index()?;
            match done {
                Some(d) => out.value(&d, |d| {
                    format!(
                        "{} the {} of {} {}",
                        if undo { "undid" } else { "redid" },
                        d.action,
                        d.entity,
                        d.entity_id
                    )
                }),
                None => out.value(&serde_json::Value::Null, |_| {
                    format!("nothing to {}", if undo { "undo" } else { "redo" })
                }),
            }
        }
        Command::Trash { restore } => match restore {
            Some(id) => {
                let item = nb.restore_from_trash(&id)?;
                nb.flush_index()?;
                out.value(&item, |i| {
                    format!("restored {} {}: {}", i.entity, i.entity_id, i.title)
                });
            }
            None => out.list(&nb.trash()?, |i| {
                format!(
                    "{}  {} {}  {}  (deleted {})",
                    i.id, i.entity, i.entity_id, i.title, i.deleted_at
                )
            }),
        },
        Command::Suggest {
            article,
            accept,
            dismiss,
        } => {
            let suggestions = nb.suggest(&article)?;
            let pick = |n: usize| {
                suggestions.get(n.wrapping_sub(1)).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "there is no suggestion {n} (there are {})",
                        suggestions.len()
                    ))
                })
            };
            if let Some(n) = accept {
                let claim =
                    nb.accept_suggestion(&article, &pick(n)?, analyst_default().as_deref())?;
                nb.flush_index()?;
                out.value(&claim, print::claim_line);
            } else if let Some(n) = dismiss {
                let s = pick(n)?;
                nb.dismiss_suggestion(&article, &s)?;
                out.value(&serde_json::json!({ "dismissed": s }), |_| {
                    format!("dismissed: \"{}\"", s.exact)
                });
            } else {
                out.list(&suggestions, print::suggestion_line);
            }
        }
        Command::Agreement {
            analysts,
            article,
            code,
            disagreements,
        } => {
            let [a, b] = analysts.as_slice() else {
                return Err(Error::invalid("--analysts takes two names: A,B"));
            };
            if let (true, Some(article)) = (disagreements, article.as_deref()) {
                let list = nb.disagreements(a, b, article)?;
                out.list(&list, |d| {
                    format!(
                        "only {} (not {}): {}  [{}] \"{}\"",
                        d.only_by,
                        d.missing_for,
                        d.claim.id,
                        d.claim.codes.join(", "),
                        d.claim.exact
                    )
                });
                return Ok(ExitCode::SUCCESS);
            }
            let report = nb.agreement(a, b, article.as_deref(), code.as_deref())?;
            out.value(&report, print::agreement_text);
        }
        Command::Merge { other } => {
            let summary = nb.merge_notebook(&other)?;
            nb.flush_index()?;
            out.value(
                &serde_json::json!({ "merged": other, "summary": summary }),
                |_| summary.clone(),
            );
        }
        Command::Carry { from, to } => {
            let report = nb.carry_claims(&from, &to)?;
            nb.flush_index()?;
            out.value(&report, print::carry_text);
        }
        Command::Versions { id } => {
            let chain = nb.article_versions(&id)?;
            out.value(&chain, |c| c.join(" → "));
        }
        Command::Import { paths, .. } => {
            let cancel = AtomicBool::new(false);
            let outcomes = nb.import_paths(&paths, &cancel, &mut |p| {
                if !out.json && !p.current.is_empty() {
                    eprintln!(
                        "[{}/{}] {}",
                        p.done,
                        p.total,
                        print::terminal_safe(&p.current)
                    );
                }
            })?;
            nb.flush_index()?;
            out.list(&outcomes, print::import_line);
            if outcomes.iter().any(|o| o.status == ImportStatus::Failed) {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Articles => out.list(&nb.articles()?, print::article_line),
        Command::Language { id, lang } => {
            let a = nb.set_article_language(&id, &lang)?;
            nb.flush_index()?;
            out.value(
                &serde_json::json!({"id": a.id, "language": a.language}),
                |_| format!("{} is now marked as '{}'", a.title, a.language),
            );
        }
        Command::Show { id } => {
            let shown = print::Shown::new(nb.article(&id)?, nb.claims(Some(&id), None)?);
            out.value(&shown, print::show_text);
        }
        Command::Codes { action: None } => out.list(&nb.codes()?, print::code_line),
        Command::Codes {
            action: Some(action),
        } => {
            let code = match action {
                CodesCmd::Add {
                    path,
                    color,
                    description,
                } => nb.add_code(&path, color.as_deref(), &description)?,
                CodesCmd::Rename { path, new_name } => nb.rename_code(&path, &new_name)?,
                CodesCmd::Move { path, to, top } => {
                    if to.is_none() && !top {
                        return Err(Error::invalid(
                            "say where to move the code: --to PARENT or --top",
                        ));
                    }
                    nb.move_code(&path, to.as_deref())?
                }
                CodesCmd::Merge { from, into } => nb.merge_code(&from, &into)?,
                CodesCmd::Edit {
                    path,
                    color,
                    description,
                } => nb.update_code(&path, color.as_deref(), description.as_deref())?,
                CodesCmd::Delete { path, force } => {
                    nb.delete_code(&path, force)?;
                    nb.flush_index()?;
                    out.value(&serde_json::json!({ "deleted": path }), |_| {
                        format!("deleted code {path}")
                    });
                    return Ok(ExitCode::SUCCESS);
                }
            };
            nb.flush_index()?;
            out.value(&code, print::code_line);
        }
        Command::Claim(ClaimCmd::Add {
            article,
            quote,
            occurrence,
            codes,
            stance,
            confidence,
            claimant,
            comment,
            analyst,
            hedging,
        }) => {
            let claim = nb.add_claim(NewClaim {
                article_id: article,
                target: ClaimTarget::Quote {
                    exact: quote,
                    occurrence,
                },
                codes,
                stance: parse_stance(&stance)?,
                confidence,
                claimant,
                comment,
                analyst: analyst.or_else(analyst_default),
                hedging: parse_hedging(&hedging)?,
            })?;
            nb.flush_index()?;
            out.value(&claim, print::claim_line);
        }
        Command::Claim(ClaimCmd::Edit {
            id,
            codes,
            clear_codes,
            stance,
            confidence,
            claimant,
            comment,
            analyst,
            hedging,
        }) => {
            let patch = ClaimPatch {
                codes: if clear_codes {
                    Some(Vec::new())
                } else {
                    Some(codes).filter(|c| !c.is_empty())
                },
                stance: stance.as_deref().map(parse_stance).transpose()?,
                confidence,
                claimant,
                comment,
                analyst,
                hedging: hedging.as_deref().map(parse_hedging).transpose()?,
            };
            let claim = nb.update_claim(&id, &patch)?;
            nb.flush_index()?;
            out.value(&claim, print::claim_line);
        }
        Command::Claim(ClaimCmd::Verdict {
            id,
            verdict,
            note,
            evidence,
            analyst,
        }) => {
            let verdict = Verdict::parse(&verdict).ok_or_else(|| {
                Error::invalid(format!(
                    "unknown verdict '{verdict}' (use unverified, supported, disputed or refuted)"
                ))
            })?;
            let evidence = evidence
                .iter()
                .map(|e| dossier::parse_evidence(e))
                .collect::<Result<Vec<_>>>()?;
            let analyst = analyst.or_else(analyst_default);
            let claim =
                nb.set_verdict(&id, verdict, analyst.as_deref(), note.as_deref(), &evidence)?;
            nb.flush_index()?;
            out.value(&claim, print::claim_line);
        }
        Command::Claim(ClaimCmd::History { id }) => {
            let history = serde_json::json!({
                "claim": nb.claim(&id)?,
                "verdicts": nb.verdict_history(&id)?,
                "relations": nb.relations(&id)?,
                "changes": nb.history(dossier::model::EntityKind::Claim, &id)?,
            });
            out.value(&history, print::history_text);
        }
        Command::Relation(RelationCmd::Add {
            from,
            to,
            kind,
            comment,
        }) => {
            let kind = RelationKind::parse(&kind).ok_or_else(|| {
                Error::invalid(format!(
                    "unknown relation '{kind}' (use supports, contradicts, qualifies or repeats)"
                ))
            })?;
            let analyst = analyst_default();
            let r = nb.add_relation(&from, &to, kind, comment.as_deref(), analyst.as_deref())?;
            nb.flush_index()?;
            out.value(&r, print::relation_line);
        }
        Command::Relation(RelationCmd::List { claim }) => {
            out.list(&nb.relations(&claim)?, print::relation_line)
        }
        Command::Relation(RelationCmd::Delete { id }) => {
            nb.delete_relation(&id)?;
            nb.flush_index()?;
            out.value(&serde_json::json!({ "deleted": id }), |_| {
                format!("deleted relation {id}")
            });
        }
        Command::Claim(ClaimCmd::Orphans) => out.list(&nb.orphaned_claims()?, print::claim_line),
        Command::Claim(ClaimCmd::Reattach {
            id,
            quote,
            occurrence,
        }) => {
            let claim = nb.reattach_claim(
                &id,
                &ClaimTarget::Quote {
                    exact: quote,
                    occurrence,
                },
            )?;
            nb.flush_index()?;
            out.value(&claim, print::claim_line);
        }
        Command::Claim(ClaimCmd::Dismiss { id }) => {
            let claim = nb.dismiss_orphan(&id)?;
            nb.flush_index()?;
            out.value(&claim, print::claim_line);
        }
        Command::Claim(ClaimCmd::Delete { id }) => {
            let claim = nb.delete_claim(&id)?;
            nb.flush_index()?;
            out.value(&claim, |c| format!("deleted claim {}", c.id));
        }
        Command::Claims { article, code } => out.list(
            &nb.claims(article.as_deref(), code.as_deref())?,
            print::claim_line,
        ),
        Command::Note(NoteCmd::Add {
            title,
            body,
            body_file,
            article,
        }) => {
            let body =
                match (body, body_file) {
                    (Some(b), None) => b,
                    (None, Some(f)) => std::fs::read_to_string(&f)
                        .map_err(|e| Error::io(format!("cannot read '{}'", f.display()), e))?,
                    _ => return Err(Error::invalid(
                        "give the note's body with --body TEXT or --body-file FILE (one of them)",
                    )),
                };
            let note = nb.add_note(&title, &body, article.as_deref())?;
            nb.flush_index()?;
            out.value(&note, print::note_line);
        }
        Command::Note(NoteCmd::Delete { id }) => {
            let note = nb.delete_note(&id)?;
            nb.flush_index()?;
            out.value(&note, |n| format!("deleted note {}", n.id));
        }
        Command::Notes { article } => out.list(&nb.notes(article.as_deref())?, print::note_line),
        Command::Search {
            query,
            kind,
            code,
            lang,
            limit,
            offset,
            all_words,
        } => {
            nb.flush_index()?;
            let kind = kind
                .as_deref()
                .map(|k| {
                    Kind::parse(k).ok_or_else(|| {
                        Error::invalid(format!("unknown kind '{k}' (use article, claim or note)"))
                    })
                })
                .transpose()?;
            let results = nb.search(&SearchRequest {
                query,
                kind,
                code,
                language: lang,
                limit,
                offset,
                skip_snippets: false,
                all_words,
            })?;
            out.value(&results, print::search_text);
        }
        Command::Export {
            format,
            out: path,
            article,
            code,
            force,
        } => {
            let format = ExportFormat::parse(&format).ok_or_else(|| {
                let known: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
                Error::invalid(format!(
                    "unknown export format '{format}' (use one of: {})",
                    known.join(", ")
                ))
            })?;
            let files = nb.export(
                format,
                &path,
                &ExportScope {
                    article_id: article,
                    code,
                },
                force,
            )?;
            let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            out.value(&serde_json::json!({ "files": files }), |_| {
                format!("wrote {} file(s) to {}", files.len(), path.display())
            });
        }
        Command::Check { repair: true } => {
            let report = nb.repair()?;
            out.value(&report, |r| {
                let mut text = r.actions.join("\n");
                text.push('\n');
                text.push_str(&print::check_text(&r.check));
                text
            });
            if !report.check.ok {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Backups {
            now,
            every_hours,
            keep,
        } => {
            if now {
                nb.rotate_backups(std::time::Duration::from_secs(every_hours * 3600), keep)?;
            }
            let list: Vec<String> = nb
                .backups()?
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            out.list(&list, |p| p.clone());
        }
        Command::Check { repair: false } => {
            // Opening the notebook made this process its indexer (unless another
            // process holds the index): let it finish what is pending, so that only
            // real differences are reported, not a catch-up still in flight.
            nb.flush_index()?;
            let report = nb.check()?;
            out.value(&report, print::check_text);
            if !report.ok {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Reindex => {
            let n = nb.reindex(&mut |done, total| {
                if !out.json && total > 0 && (done == total || done % 1000 == 0) {
                    eprintln!("indexed {done}/{total}");
                }
            })?;
            out.value(&serde_json::json!({ "indexed": n }), |_| {
                format!("reindexed {n} documents")
            });
        }
        Command::Info => out.value(&nb.info()?, |i| {
            format!(
                "{}\n{} articles, {} claims, {} notes, {} codes",
                i.path, i.articles, i.claims, i.notes, i.codes
            )
        }),
    }
    Ok(ExitCode::SUCCESS)
}
