//! Article attributes: defining them, setting an article's values, and finding
//! the articles whose value meets a condition (search's `attr:`). Every change
//! is logged: a definition (with every value of it) as an `attribute` entity,
//! an article's values as part of the article.

use dossier_model::attributes::{self as model, AttributeFilter};
use dossier_model::{AttributeDef, AttributeType, AttributeValue, EntityKind, Error, Result};
use dossier_store::attributes::{self, StoredValue};
use dossier_store::{articles, Connection};

use crate::Notebook;

fn existing(c: &Connection, name: &str) -> Result<AttributeDef> {
    attributes::def(c, name)?.ok_or_else(|| {
        Error::new(
            dossier_model::ErrorCode::NotFound,
            format!(
                "there is no attribute '{}'; define it first (attribute define NAME --type text|number|date|choice)",
                model::shorten_name(name)
            ),
        )
    })
}

impl Notebook {
    /// Every attribute the notebook defines, in the order they were defined.
    pub fn attributes(&self) -> Result<Vec<AttributeDef>> {
        self.core.store.read(attributes::defs)
    }

    /// Defines an attribute; a `choice` attribute needs its choices.
    pub fn define_attribute(
        &self,
        name: &str,
        kind: AttributeType,
        choices: &[String],
    ) -> Result<AttributeDef> {
        let def = AttributeDef {
            name: model::valid_name(name)?,
            kind,
            choices: model::valid_choices(kind, choices)?,
            used_by: 0,
        };
        self.logged(EntityKind::Attribute, &def.name, "add", |c| {
            attributes::define(c, &def, None)
        })?;
        Ok(def)
    }

    /// Removes an attribute with every article's value of it (undo puts them back).
    pub fn delete_attribute(&self, name: &str) -> Result<()> {
        let def = self.core.store.read(|c| existing(c, name))?;
        // Not `delete`: an attribute does not go to the trash; undo restores it.
        self.logged(EntityKind::Attribute, &def.name, "remove", |c| {
            attributes::undefine(c, &def.name)
        })?;
        Ok(())
    }

    /// An article's attribute values, in the attributes' order.
    pub fn article_attributes(&self, article_id: &str) -> Result<Vec<AttributeValue>> {
        self.core.store.read(|c| {
            if articles::get(c, article_id)?.is_none() {
                return Err(Error::not_found("article", article_id));
            }
            attributes::values_of(c, article_id)
        })
    }

    /// Sets an article's value of an attribute (validated by its type), or
    /// clears it with `None`. Returns the article's values.
    pub fn set_article_attribute(
        &self,
        article_id: &str,
        name: &str,
        value: Option<&str>,
    ) -> Result<Vec<AttributeValue>> {
        let (def, normalized) = self.core.store.read(|c| {
            if articles::get(c, article_id)?.is_none() {
                return Err(Error::not_found("article", article_id));
            }
            let def = existing(c, name)?;
            let normalized = value.map(|v| def.normalize(v)).transpose()?;
            Ok((def, normalized))
        })?;
        self.logged(
            EntityKind::Article,
            article_id,
            "edit",
            |c| match &normalized {
                Some(n) => attributes::put(
                    c,
                    &StoredValue {
                        article_id: article_id.to_string(),
                        name: def.name.clone(),
                        value: n.text.clone(),
                        low: n.low,
                        high: n.high,
                    },
                ),
                None => attributes::clear(c, article_id, &def.name).map(drop),
            },
        )?;
        self.article_attributes(article_id)
    }

    /// The ids of the articles `filter` (search's `attr:NAME…`) selects, sorted.
    pub fn articles_where(&self, filter: &AttributeFilter) -> Result<Vec<String>> {
        self.core.store.read(|c| {
            let def = existing(c, &filter.name)?;
            let condition = filter.condition(&def)?;
            attributes::articles_where(c, &def.name, &condition)
        })
    }
}
