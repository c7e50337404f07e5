//! Article attributes, sets of articles, saved searches.

use dossier::model::{ArticleSet, AttributeDef, AttributeValue, Result, SavedSearch};
use dossier::Notebook;

use super::Reply;
use crate::args::{AttributeCmd, SetCmd};

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

fn set_line(s: &ArticleSet) -> String {
    if s.description.is_empty() {
        format!("{}  ({} articles)", s.name, s.size)
    } else {
        format!("{}  ({} articles)  {}", s.name, s.size, s.description)
    }
}

fn saved_line(s: &SavedSearch) -> String {
    format!("{}  {}", s.name, s.query)
}

pub fn set(nb: &Notebook, cmd: SetCmd) -> Result<Reply> {
    Ok(match cmd {
        SetCmd::Add { name, description } => {
            Reply::value(nb.create_set(&name, &description)?, set_line)
        }
        SetCmd::Put { name, articles } => {
            Reply::value(nb.put_in_set(&name, &articles, false)?, set_line)
        }
        SetCmd::Remove { name, articles } => {
            Reply::value(nb.put_in_set(&name, &articles, true)?, set_line)
        }
        SetCmd::Delete { name } => {
            nb.delete_set(&name)?;
            let text = format!("deleted set {name}");
            Reply::value(serde_json::json!({ "deleted": name }), move |_| {
                text.clone()
            })
        }
    })
}

/// `sets [--set NAME | --article ID]`.
pub fn sets(nb: &Notebook, set: Option<&str>, article: Option<&str>) -> Result<Reply> {
    Ok(match (set, article) {
        (Some(name), _) => Reply::list(nb.set_members(name)?, String::clone),
        (None, Some(id)) => Reply::list(nb.article_sets(id)?, String::clone),
        (None, None) => Reply::list(nb.sets()?, set_line),
    })
}

/// `searches [--delete NAME]`.
pub fn searches(nb: &Notebook, delete: Option<&str>) -> Result<Reply> {
    if let Some(name) = delete {
        nb.delete_saved_search(name)?;
    }
    Ok(Reply::list(nb.saved_searches()?, saved_line))
}
