//! Article attributes.

use dossier::model::{AttributeDef, AttributeValue, Result};
use dossier::Notebook;

use super::Reply;
use crate::args::AttributeCmd;

fn def_line(d: &AttributeDef) -> String {
    let choices = if d.choices.is_empty() {
        String::new()
    } else {
        format!(" [{}]", d.choices.join(", "))
    };
    format!(
        "{}  {}{}  ({} articles)",
        d.name, d.kind, choices, d.used_by
    )
}

fn value_line(v: &AttributeValue) -> String {
    format!("{} = {}", v.name, v.value)
}

/// `attributes [ARTICLE]`.
pub fn list(nb: &Notebook, article: Option<&str>) -> Result<Reply> {
    Ok(match article {
        None => Reply::list(nb.attributes()?, def_line),
        Some(id) => Reply::list(nb.article_attributes(id)?, value_line),
    })
}

pub fn run(nb: &Notebook, cmd: AttributeCmd) -> Result<Reply> {
    Ok(match cmd {
        AttributeCmd::Define {
            name,
            kind,
            choices,
        } => Reply::value(nb.define_attribute(&name, kind, &choices)?, def_line),
        AttributeCmd::Set {
            article,
            name,
            value,
        } => Reply::list(
            nb.set_article_attribute(&article, &name, Some(&value))?,
            value_line,
        ),
        AttributeCmd::Clear { article, name } => {
            Reply::list(nb.set_article_attribute(&article, &name, None)?, value_line)
        }
        AttributeCmd::Delete { name } => {
            nb.delete_attribute(&name)?;
            let text = format!("deleted attribute {}", name);
            Reply::value(serde_json::json!({ "deleted": name }), move |_| {
                text.clone()
            })
        }
    })
}
