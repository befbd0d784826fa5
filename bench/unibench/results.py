"""The result files: results.json (everything, every sample) and
results.csv (one row per sample or figure, for spreadsheets and R)."""
import csv
import json
import os

FORMAT = "unilab-bench/1"
CSV_HEADER = ("study", "case", "metric", "unit", "seq", "round", "value")


def write(directory, document, studies):
    """document: {"format", "environment", "settings", "studies", "checks"};
    studies: {name: module}, each giving its csv_rows."""
    with open(os.path.join(directory, "results.json"), "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(directory, "results.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_HEADER)
        for name, result in document["studies"].items():
            writer.writerows(studies[name].csv_rows(result))


def load(directory):
    with open(os.path.join(directory, "results.json")) as f:
        document = json.load(f)
    if document.get("format") != FORMAT:
        raise ValueError(f"{directory}: not a {FORMAT} result")
    return document
