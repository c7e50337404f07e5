//! W3C Web Annotation (JSON-LD): one annotation per claim in an
//! AnnotationCollection, and the reverse — reading annotations (ours, other
//! tools', Hypothesis's JSON export) into plain records the façade re-anchors.
//!
//! Mapping: the target is the article's canonical text, named `urn:sha256:<hex
//! of the UTF-8 text>` because the selectors count code points of exactly that
//! text; the web page it came from is the target's `scope`. Codes are
//! `TextualBody`s with purpose `tagging`, the comment one with `commenting`.
//! Stance, confidence and claimant have no W3C term: they live under Dossier's
//! own JSON-LD context (terms prefixed `dossier:`, an URN namespace, so nothing
//! has to be fetched to interpret them).

use serde_json::{json, Map, Value};

use dossier_model::{Article, Claim, Stance};

use crate::ExportData;

pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

fn dossier_context() -> Value {
    json!({
        "dossier": "urn:x-dossier:vocab#",
        "stance": "dossier:stance",
        "confidence": "dossier:confidence",
        "claimant": "dossier:claimant",
        "articleTitle": "dossier:articleTitle",
        "hedging": "dossier:hedging",
        "verdict": "dossier:verdict",
        "relations": "dossier:relations",
        "relation": "dossier:relation",
        "relatedTo": {"@id": "dossier:relatedTo", "@type": "@id"},
        "comment": "dossier:comment",
        "region": "dossier:region"
    })
}

pub fn text_urn(article: &Article) -> String {
    format!("urn:sha256:{}", article.text_sha256)
}

/// The W3C model's name for the PDF fragment specification (RFC 3778), as its
/// table of fragment specifications gives it.
pub const PDF_FRAGMENT_SPEC: &str = "http://tools.ietf.org/rfc/rfc3778";

/// A claim in a PDF as RFC 3778 addresses it: its page and the rectangle
/// around what it covers there (`viewrect=left,top,width,height`, points),
/// refined by the quote within that page.
fn pdf_fragment(c: &Claim, at: &dossier_model::Location) -> Value {
    let b = at.bounds();
    let mut value = format!("page={}", at.page);
    if b.width() > 0.0 && b.height() > 0.0 {
        value.push_str(&format!(
            "&viewrect={:.2},{:.2},{:.2},{:.2}",
            b.x0,
            b.y0,
            b.width(),
            b.height()
        ));
    }
    json!({
        "type": "FragmentSelector",
        "conformsTo": PDF_FRAGMENT_SPEC,
        "value": value,
        "refinedBy": {"type": "TextQuoteSelector", "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix}
    })
}

fn annotation(
    article: &Article,
    c: &Claim,
    relations: &[dossier_model::ClaimRelation],
    location: Option<&dossier_model::Location>,
) -> Value {
    let mut body: Vec<Value> = c
        .codes
        .iter()
        .map(|code| json!({"type": "TextualBody", "purpose": "tagging", "value": code}))
        .collect();
    if let Some(comment) = &c.comment {
        body.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/plain",
            "value": comment
        }));
    }
    // Each translation of the quote: a second text in its language, with who made it and when.
    for t in &c.translations {
        let mut b = json!({
            "type": "TextualBody",
            "purpose": "describing",
            "format": "text/plain",
            "language": t.language,
            "value": t.text,
            "created": t.created_at,
        });
        if let Some(who) = &t.translator {
            b["creator"] = json!({"type": "Person", "name": who});
        }
        body.push(b);
    }
    let mut target = json!({
        "type": "SpecificResource",
        "source": text_urn(article),
        "selector": [
            {"type": "TextQuoteSelector", "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix},
            {"type": "TextPositionSelector", "start": c.start, "end": c.end}
        ]
    });
    // In a PDF, also where it is on the page: an alternative selector for
    // readers that address the original rather than its text.
    if let Some(at) = location {
        if let Some(list) = target["selector"].as_array_mut() {
            list.push(pdf_fragment(c, at));
        }
    }
    if let Some(url) = &article.source_url {
        target["scope"] = json!(url);
    }
    let mut a = json!({
        "@context": [ANNO_CONTEXT, dossier_context()],
        "id": format!("urn:uuid:{}", c.id),
        // The link back into the notebook (opens the claim in Dossier).
        "canonical": dossier_model::links::entity_link(dossier_model::LinkKind::Claim, &c.id),
        "type": "Annotation",
        "motivation": "classifying",
        "created": c.created_at,
        "modified": c.updated_at,
        "target": target,
        "stance": c.stance.as_str(),
        "confidence": c.confidence,
        "articleTitle": article.title,
    });
    if !body.is_empty() {
        a["body"] = Value::Array(body);
    }
    if let Some(who) = &c.claimant {
        a["claimant"] = json!(who);
    }
    if let Some(analyst) = &c.analyst {
        a["creator"] = json!({"type": "Person", "name": analyst});
    }
    // A region claim's rectangle, exactly (the FragmentSelector's viewrect is rounded).
    if let Some(r) = &c.region {
        a["region"] = json!(r);
    }
    a["hedging"] = json!(c.hedging.as_str());
    a["verdict"] = json!(c.verdict.as_str());
    let outgoing: Vec<Value> = relations
        .iter()
        .filter(|r| r.from_id == c.id)
        .map(|r| {
            let mut v =
                json!({"relation": r.kind.as_str(), "relatedTo": format!("urn:uuid:{}", r.to_id)});
            if let Some(comment) = &r.comment {
                v["comment"] = json!(comment);
            }
            v
        })
        .collect();
    if !outgoing.is_empty() {
        a["relations"] = Value::Array(outgoing);
    }
    a
}

/// Writes an AnnotationCollection one annotation at a time, so that an export
/// of a million claims is never in memory at once. The collection's `total`
/// comes after its page (JSON members have no order); the page is written only
/// when there is a first annotation, as [`collection`] does.
pub struct CollectionWriter<W: std::io::Write> {
    out: W,
    id: String,
    count: usize,
}

fn io_err(e: std::io::Error) -> dossier_model::Error {
    dossier_model::Error::io("writing the W3C export", e)
}

impl<W: std::io::Write> CollectionWriter<W> {
    pub fn new(
        mut out: W,
        collection_id: &str,
        title: &str,
        generated_at: &str,
        app_version: &str,
    ) -> dossier_model::Result<Self> {
        let head = json!({
            "@context": [ANNO_CONTEXT, dossier_context()],
            "id": format!("urn:uuid:{collection_id}"),
            "type": "AnnotationCollection",
            "label": format!("{title} — claims exported by Dossier"),
            "created": generated_at,
            "generator": {"type": "Software", "name": format!("Dossier {app_version}")},
        });
        let text = serde_json::to_string_pretty(&head)
            .map_err(|e| dossier_model::Error::internal(e.to_string()))?;
        // Everything but the closing brace: members follow.
        let open = text.trim_end().trim_end_matches('}').trim_end();
        out.write_all(open.as_bytes()).map_err(io_err)?;
        Ok(CollectionWriter {
            out,
            id: collection_id.to_string(),
            count: 0,
        })
    }

    pub fn push(
        &mut self,
        article: &Article,
        claim: &Claim,
        relations: &[dossier_model::ClaimRelation],
        location: Option<&dossier_model::Location>,
    ) -> dossier_model::Result<()> {
        if self.count == 0 {
            let page = format!(
                ",\n  \"first\": {{\n    \"id\": {},\n    \"type\": \"AnnotationPage\",\n    \"startIndex\": 0,\n    \"items\": [\n",
                serde_json::to_string(&format!("urn:uuid:{}#page1", self.id)).unwrap_or_default()
            );
            self.out.write_all(page.as_bytes()).map_err(io_err)?;
        } else {
            self.out.write_all(b",\n").map_err(io_err)?;
        }
        let item = serde_json::to_string(&annotation(article, claim, relations, location))
            .map_err(|e| dossier_model::Error::internal(e.to_string()))?;
        self.out.write_all(item.as_bytes()).map_err(io_err)?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> dossier_model::Result<W> {
        if self.count > 0 {
            self.out.write_all(b"\n    ]\n  }").map_err(io_err)?;
        }
        let tail = format!(",\n  \"total\": {}\n}}\n", self.count);
        self.out.write_all(tail.as_bytes()).map_err(io_err)?;
        self.out.flush().map_err(io_err)?;
        Ok(self.out)
    }
}

/// The AnnotationCollection of every claim in `data`, ready to serialise.
pub fn collection(data: &ExportData, collection_id: &str) -> Value {
    let items: Vec<Value> = data
        .bundles
        .iter()
        .flat_map(|b| {
            b.claims
                .iter()
                .map(|c| annotation(&b.article, c, &b.relations, b.locations.get(&c.id)))
        })
        .collect();
    let mut col = json!({
        "@context": [ANNO_CONTEXT, dossier_context()],
        "id": format!("urn:uuid:{collection_id}"),
        "type": "AnnotationCollection",
        "label": format!("{} — claims exported by Dossier", data.title),
        "created": data.generated_at,
        "generator": {"type": "Software", "name": format!("Dossier {}", data.app_version)},
        "total": items.len(),
    });
    if !items.is_empty() {
        col["first"] = json!({
            "id": format!("urn:uuid:{collection_id}#page1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items
        });
    }
    col
}

// ---------------------------------------------------------------- reading

/// One annotation as read from a file, before it is matched to an article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedAnnotation {
    /// Where the annotation was found, for messages (`#3`, or its id).
    pub label: String,
    /// Every IRI that names the target: `urn:sha256:…`, the page URL, its scope.
    pub sources: Vec<String>,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub position: Option<(u32, u32)>,
    pub tags: Vec<String>,
    pub comment: Option<String>,
    pub stance: Option<Stance>,
    pub confidence: Option<u8>,
    pub claimant: Option<String>,
    pub creator: Option<String>,
    pub hedging: Option<dossier_model::Hedging>,
    pub verdict: Option<dossier_model::Verdict>,
    /// `describing` bodies with a language: translations of the quote
    /// `(language, text, creator's name, created)`.
    pub translations: Vec<(String, String, Option<String>, Option<String>)>,
    /// A region claim's rectangle on its PDF page (Dossier's `region`).
    pub region: Option<dossier_model::PageRect>,
    /// A PDF FragmentSelector's page and `viewrect` (RFC 3778: left, top,
    /// width, height in points), as another program writes an area it marked
    /// on a page: what a target without a text quote is found by.
    pub fragment: Option<dossier_model::PageRect>,
}

/// Reads a W3C annotation document (one annotation, an array, an
/// AnnotationCollection or AnnotationPage) or a Hypothesis JSON export
/// (an array of rows, or `{"rows": […]}`). Annotations without a text quote are
/// returned with an empty `exact`, so the caller can report them.
pub fn parse(doc: &Value) -> Result<Vec<ParsedAnnotation>, String> {
    let items = annotation_values(doc)?;
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, v)| parse_one(v, i + 1))
        .collect())
}

/// True when `doc` looks like annotations rather than, say, CSL-JSON.
pub fn looks_like_annotations(doc: &Value) -> bool {
    annotation_values(doc).is_ok_and(|v| !v.is_empty())
}

fn is_annotation(v: &Value) -> bool {
    v.get("target").is_some()
}

fn has_type(v: &Value, t: &str) -> bool {
    match v.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(t)),
        _ => false,
    }
}

fn annotation_values(doc: &Value) -> Result<Vec<&Value>, String> {
    let list: Vec<&Value> = match doc {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => {
            if has_type(doc, "AnnotationCollection") {
                match o.get("first") {
                    Some(page) => page_items(page),
                    None => Vec::new(),
                }
            } else if has_type(doc, "AnnotationPage") {
                page_items(doc)
            } else if let Some(Value::Array(rows)) = o.get("rows").or_else(|| o.get("annotations"))
            {
                rows.iter().collect()
            } else {
                vec![doc]
            }
        }
        _ => return Err("the file is not a JSON object or array".into()),
    };
    let annotations: Vec<&Value> = list.into_iter().filter(|v| is_annotation(v)).collect();
    let empty_collection = has_type(doc, "AnnotationCollection") && doc.get("first").is_none();
    if annotations.is_empty() && !empty_collection {
        return Err(
            "no annotations found (expected a W3C Web Annotation or a Hypothesis export)".into(),
        );
    }
    Ok(annotations)
}

fn page_items(page: &Value) -> Vec<&Value> {
    page.get("items")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn string_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A term under our context may appear expanded (`dossier:stance`) or short.
fn dossier_term<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).or_else(|| o.get(&format!("dossier:{key}")))
}

fn parse_one(v: &Value, n: usize) -> ParsedAnnotation {
    let mut p = ParsedAnnotation {
        label: string_of(v, "id").unwrap_or_else(|| format!("annotation #{n}")),
        ..Default::default()
    };
    // Hypothesis puts the page at the top level.
    if let Some(uri) = string_of(v, "uri") {
        p.sources.push(uri);
    }
    for target in as_list(v.get("target")) {
        match target {
            Value::String(iri) => p.sources.push(iri.clone()),
            Value::Object(t) => {
                for key in ["source", "scope", "id"] {
                    match t.get(key) {
                        Some(Value::String(s)) => p.sources.push(s.clone()),
                        Some(Value::Object(o)) => {
                            if let Some(Value::String(s)) = o.get("id") {
                                p.sources.push(s.clone());
                            }
                        }
                        _ => {}
                    }
                }
                for sel in as_list(t.get("selector")) {
                    read_selector(sel, &mut p);
                }
            }
            _ => {}
        }
    }
    for body in as_list(v.get("body")) {
        match body {
            Value::String(s) => p.tags.push(s.clone()),
            Value::Object(b) => {
                let value = b.get("value").and_then(Value::as_str).unwrap_or("").trim();
                if value.is_empty() {
                    continue;
                }
                let language = b.get("language").and_then(Value::as_str);
                match b.get("purpose").and_then(Value::as_str) {
                    Some("tagging") | Some("classifying") => p.tags.push(value.to_string()),
                    Some("describing") if language.is_some() => {
                        if p.translations.len() < dossier_model::limits::MAX_TRANSLATIONS {
                            let creator = b
                                .get("creator")
                                .and_then(|c| c.get("name").or(Some(c)))
                                .and_then(Value::as_str)
                                .map(|n| n.chars().take(200).collect());
                            let created = b
                                .get("created")
                                .and_then(Value::as_str)
                                .map(|d| d.chars().take(40).collect());
                            p.translations.push((
                                language.unwrap_or_default().to_string(),
                                value.to_string(),
                                creator,
                                created,
                            ));
                        }
                    }
                    _ => {
                        p.comment = Some(match p.comment.take() {
                            Some(prev) => format!("{prev}\n\n{value}"),
                            None => value.to_string(),
                        })
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(obj) = v.as_object() {
        // Hypothesis: free text and tags at the top level.
        if let Some(text) = obj
            .get("text")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
        {
            p.comment.get_or_insert_with(|| text.trim().to_string());
        }
        for tag in as_list(obj.get("tags")) {
            if let Some(t) = tag.as_str() {
                p.tags.push(t.to_string());
            }
        }
        p.stance = dossier_term(obj, "stance")
            .and_then(Value::as_str)
            .and_then(Stance::parse);
        p.confidence = dossier_term(obj, "confidence")
            .and_then(Value::as_u64)
            .filter(|c| (1..=5).contains(c))
            .map(|c| c as u8);
        p.claimant = dossier_term(obj, "claimant")
            .and_then(Value::as_str)
            .map(str::to_string);
        p.hedging = dossier_term(obj, "hedging")
            .and_then(Value::as_str)
            .and_then(dossier_model::Hedging::parse);
        p.verdict = dossier_term(obj, "verdict")
            .and_then(Value::as_str)
            .and_then(dossier_model::Verdict::parse);
        p.region = dossier_term(obj, "region")
            .and_then(|r| serde_json::from_value::<dossier_model::PageRect>(r.clone()).ok())
            .filter(dossier_model::PageRect::is_plausible);
        p.creator = match obj.get("creator") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(c)) => c
                .get("name")
                .or_else(|| c.get("nickname"))
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => obj.get("user").and_then(Value::as_str).map(|u| {
                u.trim_start_matches("acct:")
                    .split('@')
                    .next()
                    .unwrap_or(u)
                    .to_string()
            }),
        };
    }
    p.tags.dedup();
    p
}

/// The page and rectangle of a PDF fragment (`page=N&viewrect=l,t,w,h`,
/// also with a leading `#`); `None` without both or when they are absurd.
pub fn read_pdf_fragment(value: &str) -> Option<dossier_model::PageRect> {
    let mut page = None;
    let mut rect = None;
    for part in value.trim_start_matches('#').split('&').take(16) {
        let (k, v) = part.split_once('=')?;
        match k {
            "page" => page = v.parse::<u32>().ok(),
            "viewrect" => {
                let n: Vec<f32> = v
                    .split(',')
                    .take(5)
                    .filter_map(|x| x.trim().parse::<f32>().ok())
                    .collect();
                if let [l, t, w, h] = n[..] {
                    rect = Some((l, t, l + w, t + h));
                }
            }
            _ => {}
        }
    }
    let (x0, y0, x1, y1) = rect?;
    Some(dossier_model::PageRect {
        page: page?,
        x0,
        y0,
        x1,
        y1,
    })
    .filter(dossier_model::PageRect::is_plausible)
}

fn read_selector(sel: &Value, p: &mut ParsedAnnotation) {
    if has_type(sel, "FragmentSelector")
        && string_of(sel, "conformsTo").is_some_and(|c| c.contains("rfc3778"))
    {
        if let Some(value) = string_of(sel, "value") {
            p.fragment = read_pdf_fragment(&value);
        }
    } else if has_type(sel, "TextQuoteSelector") {
        p.exact = string_of(sel, "exact").unwrap_or_default();
        p.prefix = string_of(sel, "prefix").unwrap_or_default();
        p.suffix = string_of(sel, "suffix").unwrap_or_default();
    } else if has_type(sel, "TextPositionSelector") {
        let num = |k: &str| sel.get(k).and_then(Value::as_u64).map(|n| n as u32);
        if let (Some(s), Some(e)) = (num("start"), num("end")) {
            p.position = Some((s, e));
        }
    }
    // Hypothesis nests a refinement in RangeSelector lists; the quote and position are enough.
    if let Some(refined) = sel.get("refinedBy") {
        read_selector(refined, p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_hypothesis_row() {
        let doc = json!([{
            "uri": "https://example.org/a",
            "text": "Wichtig",
            "tags": ["Transparency"],
            "user": "acct:anna@hypothes.is",
            "target": [{"source": "https://example.org/a", "selector": [
                {"type": "RangeSelector", "startContainer": "/p[1]"},
                {"type": "TextPositionSelector", "start": 3, "end": 7},
                {"type": "TextQuoteSelector", "exact": "Qwen", "prefix": "ie ", "suffix": " ist"}
            ]}]
        }]);
        let got = parse(&doc).unwrap();
        assert_eq!(got.len(), 1);
        let a = &got[0];
        assert_eq!(a.exact, "Qwen");
        assert_eq!(a.position, Some((3, 7)));
        assert_eq!(a.tags, vec!["Transparency"]);
        assert_eq!(a.comment.as_deref(), Some("Wichtig"));
        assert_eq!(a.creator.as_deref(), Some("anna"));
        assert!(a.sources.contains(&"https://example.org/a".to_string()));
    }

    #[test]
    fn reads_a_pdf_fragment() {
        let r = read_pdf_fragment("#page=4&viewrect=50,262,355,178").unwrap();
        assert_eq!(
            (r.page, r.x0, r.y0, r.x1, r.y1),
            (4, 50.0, 262.0, 405.0, 440.0)
        );
        for bad in [
            "page=4",
            "viewrect=1,2,3,4",
            "page=x&viewrect=1,2,3,4",
            "page=1&viewrect=NaN,2,3,4",
            "page=1&viewrect=1e39,2,3,4",
            "page=0&viewrect=1,2,3,4",
            "page=1&viewrect=1,2,-3,4",
        ] {
            assert!(read_pdf_fragment(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn csl_json_is_not_annotations() {
        let csl = json!([{"id": "x", "type": "webpage", "title": "T"}]);
        assert!(!looks_like_annotations(&csl));
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    #[test]
    fn the_streamed_collection_is_the_same_document() {
        let article = Article {
            id: "a".into(),
            title: "T".into(),
            author: None,
            source_url: Some("https://example.org".into()),
            published: None,
            language: "de".into(),
            imported_at: "2024-01-01T00:00:00Z".into(),
            sha256: "00".into(),
            text_sha256: "11".into(),
            original_name: "t.txt".into(),
            media_type: "text/plain".into(),
            parser: "text/1".into(),
            text: "Qwen 😀 ist offen.".into(),
            page_starts: Vec::new(),
            pages: Vec::new(),
            languages: Vec::new(),
        };
        let claim = |id: &str| Claim {
            codes: vec!["Trust".into()],
            stance: Stance::Supports,
            comment: Some("c".into()),
            analyst: Some("mia".into()),
            created_at: "x".into(),
            updated_at: "y".into(),
            ..Claim::new(
                id.into(),
                "a".into(),
                dossier_model::Anchor::from_quote("Qwen 😀 ist offen.", "Qwen", 1).unwrap(),
                String::new(),
            )
        };
        for n in [0usize, 1, 3] {
            let claims: Vec<Claim> = (0..n).map(|i| claim(&format!("c{i}"))).collect();
            let mut w = CollectionWriter::new(Vec::new(), "id", "T", "now", "1").unwrap();
            for c in &claims {
                w.push(&article, c, &[], None).unwrap();
            }
            let streamed: Value = serde_json::from_slice(&w.finish().unwrap()).unwrap();
            let data = crate::ExportData {
                title: "T".into(),
                generated_at: "now".into(),
                app_version: "1".into(),
                bundles: vec![crate::ArticleBundle {
                    article: article.clone(),
                    claims,
                    notes: Vec::new(),
                    relations: Vec::new(),
                    attributes: Vec::new(),
                    sets: Vec::new(),
                    locations: Default::default(),
                }],
                codes: Vec::new(),
                notes: Vec::new(),
                attributes: Vec::new(),
                sets: Vec::new(),
            };
            assert_eq!(streamed, collection(&data, "id"), "{n} claims");
        }
    }
}
