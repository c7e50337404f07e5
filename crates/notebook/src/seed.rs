//! What every new notebook starts with: the default codebook for transparency
//! and trust, and (on request) a sample article with claims and a note.

use dossier_model::{ClaimTarget, NewClaim, Result, Stance};

use crate::Notebook;

/// `(path, colour, description)`. Names are English for exchange with QDA
/// tools; the descriptions are bilingual so a German-speaking analyst can apply them.
pub const DEFAULT_CODEBOOK: &[(&str, &str, &str)] = &[
    ("Transparency", "#2f6fb3", "How open a model and its making are. / Wie offen ein Modell und seine Entstehung sind."),
    ("Transparency/Open weights", "#3b82c4", "Weights published for download and local use. / Gewichte zum Herunterladen und lokalen Betrieb veröffentlicht."),
    ("Transparency/Training-data disclosure", "#4f95d6", "What is said about sources, filtering and licences of training data. / Offenlegung von Quellen, Filterung und Lizenzen der Trainingsdaten."),
    ("Transparency/Documentation", "#68a8e0", "Model cards, technical reports, evaluation protocols. / Modellkarten, technische Berichte, Evaluationsprotokolle."),
    ("Transparency/Governance process", "#86bbe8", "Who decides about releases, licences and changes, and how. / Wer über Veröffentlichung, Lizenz und Änderungen entscheidet und wie."),
    ("Trust", "#b4542f", "Whether a model and its makers can be relied on. / Ob man sich auf ein Modell und seine Anbieter verlassen kann."),
    ("Trust/Data integrity", "#c8683f", "Whether data and outputs are complete, unaltered and unbiased by hidden rules. / Datenintegrität: Vollständigkeit, Unverfälschtheit, verdeckte Eingriffe."),
    ("Trust/Security", "#d67d52", "Vulnerabilities, backdoors, supply-chain risks. / Sicherheit: Schwachstellen, Hintertüren, Lieferkettenrisiken."),
    ("Trust/Reliability & benchmarks", "#e09468", "Claims about performance and how well they are evidenced. / Leistungsangaben und wie belastbar sie belegt sind."),
    ("Trust/Accountability", "#e8ab82", "Who answers for harms and errors; recourse and liability. / Rechenschaftspflicht: Haftung, Verantwortung, Beschwerdewege."),
    ("Trust/State influence", "#9c3d2a", "Government control, censorship rules, legal obligations of providers. / Staatlicher Einfluss: Inhaltskontrolle, rechtliche Pflichten der Anbieter."),
    ("Policy", "#5b8a3a", "Regulation and geopolitics around models. / Regulierung und Geopolitik rund um Modelle."),
    ("Policy/Export controls", "#74a552", "Chip and technology export restrictions and their effects. / Exportkontrollen für Chips und Technologie und ihre Folgen."),
];

pub const SAMPLE_FILE_NAME: &str = "beispiel-offene-modelle.md";
pub const SAMPLE_ARTICLE: &str = include_str!("../assets/sample-article.md");

/// A claim on the sample article: `(quote, codes, stance, confidence, claimant, comment)`.
type SampleClaim = (
    &'static str,
    &'static [&'static str],
    Stance,
    u8,
    &'static str,
    &'static str,
);

const SAMPLE_CLAIMS: &[SampleClaim] = &[
    (
        "Offene Gewichte sind jedoch nicht dasselbe wie offene Entwicklung.",
        &["Transparency/Open weights", "Transparency/Governance process"],
        Stance::Supports,
        5,
        "Autor:in",
        "Kernthese: Offenheit in Stufen denken.",
    ),
    (
        "Sie nennen Größenordnungen in Billionen Token und Sprachanteile, aber keine Quellen, keine Lizenzen und keine Angaben zur Bereinigung personenbezogener Daten.",
        &["Transparency/Training-data disclosure", "Transparency/Documentation"],
        Stance::Supports,
        4,
        "Autor:in",
        "Mit den Modellkarten von Qwen und Hunyuan abgleichen.",
    ),
    (
        "Ob diese Ergebnisse belastbar sind, bleibt abzuwarten",
        &["Trust/Reliability & benchmarks"],
        Stance::Unclear,
        3,
        "Autor:in",
        "Hedging: keine eigene Prüfung der Benchmarks.",
    ),
    (
        "Generative Dienste in China müssen die Vorschriften zur Inhaltskontrolle einhalten",
        &["Trust/State influence", "Trust/Data integrity"],
        Stance::Neutral,
        4,
        "",
        "",
    ),
];

pub(crate) fn seed_sample(nb: &Notebook) -> Result<String> {
    let outcome = nb.import_bytes(SAMPLE_FILE_NAME, SAMPLE_ARTICLE.as_bytes())?;
    let article_id = outcome
        .id
        .clone()
        .expect("the sample imports or is a duplicate with an id");
    if outcome.status == dossier_model::ImportStatus::Duplicate {
        return Ok(article_id);
    }
    let mut claim_ids = Vec::new();
    for (quote, codes, stance, confidence, claimant, comment) in SAMPLE_CLAIMS {
        let claim = nb.add_claim(NewClaim {
            article_id: article_id.clone(),
            target: ClaimTarget::Quote {
                exact: (*quote).to_string(),
                occurrence: 1,
            },
            codes: codes.iter().map(|c| (*c).to_string()).collect(),
            stance: *stance,
            confidence: *confidence,
            claimant: Some((*claimant).to_string()).filter(|s| !s.is_empty()),
            comment: Some((*comment).to_string()).filter(|s| !s.is_empty()),
            analyst: Some("Beispiel".to_string()),
            hedging: Default::default(),
        })?;
        claim_ids.push(claim.id);
    }
    nb.add_note(
        "Arbeitsnotiz: Offenheit in Stufen",
        &format!(
            "Der Beispielartikel [[article:{article_id}|Offen, aber wie offen?]] trennt offene Gewichte von offener Entwicklung.\n\n\
             - Zentrale These: [[claim:{}|Gewichte ≠ Entwicklung]]\n\
             - Offene Frage zu Benchmarks: [[claim:{}|belastbar?]]\n\n\
             **Nächster Schritt:** Modellkarten von Qwen, ERNIE und Hunyuan auf Angaben zu Trainingsdaten prüfen.",
            claim_ids[0], claim_ids[2]
        ),
        Some(&article_id),
    )?;
    Ok(article_id)
}
