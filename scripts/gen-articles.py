#!/usr/bin/env python3
"""Writes N synthetic articles (German, English, Chinese; Markdown) into a folder,
for benchmarks and large-notebook tests. Deterministic for a given seed."""
import random, sys, os

DE = "Transparenz Vertrauen Datenintegrität Modell Modelle offene Gewichte Trainingsdaten Offenlegung Regierung Sicherheit Exportkontrollen Rechenschaftspflicht Dokumentation Benchmark Bewertung Anbieter Lizenz Aufsicht Prüfung Risiko".split()
EN = "transparency trust data integrity model models open weights training data disclosure government security export controls accountability documentation benchmark evaluation provider licence oversight audit risk".split()
ZH = "透明度 信任 数据完整性 模型 开源 权重 训练数据 披露 政府 安全 出口管制 问责 文档 基准 评估 提供商 许可 监管 审计 风险".split()
GLUE = {"de": "und der die das ist nicht mit für auf wird".split(), "en": "and the of is not with for on will be".split(), "zh": ["的", "和", "是", "在", "对"]}

def sentence(rng, lang):
    words = {"de": DE, "en": EN, "zh": ZH}[lang]
    n = rng.randint(8, 18)
    toks = [rng.choice(words) if rng.random() < 0.5 else rng.choice(GLUE[lang]) for _ in range(n)]
    if lang == "zh":
        return "".join(toks) + "。"
    s = " ".join(toks)
    return s[0].upper() + s[1:] + "."

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        lang = rng.choice(["de", "de", "en", "en", "zh"])
        title = f"{rng.choice({'de': DE, 'en': EN, 'zh': ZH}[lang])} {i}"
        paras = ["".join(sentence(rng, lang) + ("" if lang == "zh" else " ") for _ in range(rng.randint(3, 7))).strip() for _ in range(rng.randint(4, 10))]
        with open(os.path.join(out, f"a{i:06d}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: \"{title}\"\nlang: {lang}\ndate: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}\n---\n# {title}\n\n" + "\n\n".join(paras) + "\n")

main()
