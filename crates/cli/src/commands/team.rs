//! Working as a team: `team join|status|conflicts|leave` and `sync`.

use dossier::model::sync::{AttributeMatch, ScopeView, TeamStatus};
use dossier::model::Result;
use dossier::Notebook;

use super::Reply;
use crate::args::TeamCmd;

fn describe(s: &TeamStatus) -> String {
    let mut line = format!(
        "team hub {} as {} ({}); joined {}; last sync {}; {} changes to push; {} conflicts",
        s.url,
        s.analyst,
        s.role.as_str(),
        s.joined_at,
        s.last_sync.as_deref().unwrap_or("never"),
        s.pending,
        s.conflicts
    );
    if let Some(scope) = &s.scope {
        let mut parts = Vec::new();
        if !scope.codes.is_empty() {
            parts.push(format!("coded {}", scope.codes.join(" or ")));
        }
        if !scope.sets.is_empty() {
            parts.push(format!("in set {}", scope.sets.join(" or ")));
        }
        if !scope.attributes.is_empty() {
            let values: Vec<String> = scope
                .attributes
                .iter()
                .map(|a| format!("{}={}", a.name, a.value))
                .collect();
            parts.push(format!("with {}", values.join(" or ")));
        }
        match (&scope.from, &scope.to) {
            (Some(f), Some(t)) => parts.push(format!("dated {f} to {t}")),
            (Some(f), None) => parts.push(format!("dated from {f}")),
            (None, Some(t)) => parts.push(format!("dated until {t}")),
            (None, None) => {}
        }
        line.push_str(&format!(
            "\npulls articles {}; {} of the team's articles not pulled (dossier team stubs)",
            parts.join(", "),
            s.not_pulled
        ));
    } else if s.not_pulled > 0 {
        line.push_str(&format!(
            "\npulls every article; {} not pulled yet (the next sync pulls them)",
            s.not_pulled
        ));
    }
    line
}

pub fn run(nb: &Notebook, cmd: TeamCmd) -> Result<Reply> {
    Ok(match cmd {
        TeamCmd::Join { url, token, ca } => {
            Reply::value(nb.team_join(&url, &token, ca.as_deref())?, describe)
        }
        TeamCmd::Status => Reply::value(nb.team_status()?, |s| match s {
            Some(s) => describe(s),
            None => "not in a team (dossier team join URL --token T)".into(),
        }),
        TeamCmd::Conflicts { limit } => Reply::list(nb.team_conflicts(limit)?, |c| {
            let what = if c.conflict.field.is_empty() {
                "the whole entity".to_string()
            } else {
                c.conflict.field.clone()
            };
            format!(
                "{} {} {}: kept {} ({}), lost {} ({})",
                c.kind.as_str(),
                c.entity_id,
                what,
                c.conflict.kept,
                c.conflict.kept_by,
                c.conflict.lost,
                c.conflict.lost_by
            )
        }),
        TeamCmd::Scope {
            codes,
            from,
            to,
            sets,
            attributes,
            all,
        } => {
            let attributes = attributes
                .iter()
                .map(|a| AttributeMatch::parse(a))
                .collect::<Result<Vec<_>>>()?;
            let scope = (!all).then_some(ScopeView {
                codes,
                from,
                to,
                sets,
                attributes,
            });
            Reply::value(nb.team_scope(scope)?, |s| {
                format!("{}\n(the next sync applies it)", describe(s))
            })
        }
        TeamCmd::Stubs { limit } => Reply::list(nb.team_stubs(limit)?, |a| {
            format!(
                "{}  {}  {}  [{}; {} claims]",
                a.id,
                a.published.as_deref().unwrap_or("-"),
                a.title,
                a.language,
                a.claims
            )
        }),
        TeamCmd::Pull { ids } => {
            let r = nb.team_pull(&ids)?;
            Reply::value(r, |r| {
                format!("pulled {} articles; conflicts {}", r.pulled, r.conflicts)
            })
        }
        TeamCmd::Leave => {
            let left = nb.team_leave()?;
            Reply::value(serde_json::json!({ "left": left }), move |_| {
                if left {
                    "left the team"
                } else {
                    "not in a team"
                }
                .to_string()
            })
        }
    })
}

pub fn sync(nb: &Notebook, verify: bool, repair: bool) -> Result<Reply> {
    let report = nb.sync()?;
    let line = format!(
        "pushed {}, pulled {}, conflicts {}",
        report.pushed, report.pulled, report.conflicts
    );
    if !verify {
        return Ok(Reply::value(report, move |_| line.clone()));
    }
    let v = nb.verify_sync(repair)?;
    let mut text = format!(
        "{line}\nverified {} entities with the team: {} alike, {} changed here since",
        v.checked, v.same, v.pending
    );
    if v.divergent.is_empty() {
        text.push_str("; none diverges");
    }
    for d in &v.divergent {
        text.push_str(&format!("\n  {} {} {}", d.what, d.kind.as_str(), d.id));
    }
    if repair && !v.divergent.is_empty() {
        text.push_str(&format!(
            "\nset {} of them to the team's state (undo takes it back)",
            v.repaired
        ));
    } else if !v.divergent.is_empty() {
        text.push_str(
            "\n(a fault of Dossier's — please report it; `dossier sync --verify --repair` sets \
             them to the team's state)",
        );
    }
    let value = serde_json::json!({
        "pushed": report.pushed,
        "pulled": report.pulled,
        "conflicts": report.conflicts,
        "verify": v,
    });
    Ok(Reply::value(value, move |_| text.clone()))
}
