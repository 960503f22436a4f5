# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The PEG's open data in the AgID guidelines' formats, described by a Frictionless Data Package.

Four tables, each as CSV (RFC 4180: UTF-8, one header row, CRLF line ends, one table per file)
and as JSON (an array of objects with the same keys), described in datapackage.json with a Table
Schema per resource and the licence (PEG_OPEN_DATA_LICENSE, CC-BY-4.0 by default):

- obiettivi: the plan's objectives (the card's texts, no score);
- fasi: their phases with weight, annualità and deadlines (no monitoring);
- indicatori: the indicators with baseline and target, and the value that counts once the
  objective is validated;
- risultati: per score band, how many heads and their share; never a person's evaluation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch

from evaluation.selectors import head_results
from objectives.calculator import is_validated
from objectives.models import Fase, Obiettivo, Peg
from relazione.selectors import distribution_rows

LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "IODL-2.0": ("Italian Open Data License 2.0", "https://www.dati.gov.it/content/italian-open-data-license-v20"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str
    description: str = ""
    required: bool = False

    def descriptor(self) -> dict:
        field = {"name": self.name, "type": self.type, "title": self.title}
        if self.description:
            field["description"] = self.description
        if self.required:
            field["constraints"] = {"required": True}
        if self.type == "number":
            field["decimalChar"] = "."
        return field


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict]

    def schema(self) -> dict:
        return {"fields": [column.descriptor() for column in self.columns], "missingValues": [""]}


COMMON = [
    Column("anno", "integer", "Anno del PEG", required=True),
    Column("struttura", "string", "Struttura organizzativa", required=True),
]

OBIETTIVI = [
    *COMMON,
    Column("tipo_struttura", "string", "Tipo di struttura"),
    Column("responsabile", "string", "Responsabile della struttura (come stampato sulla scheda)"),
    Column("codice_obiettivo", "string", "Codice dell'obiettivo", required=True),
    Column("titolo", "string", "Titolo dell'obiettivo", required=True),
    Column("finalita_strategiche", "string", "Finalità strategiche"),
    Column("direttive", "string", "Direttive specifiche - descrizione"),
    Column("risultato_atteso", "string", "Risultato atteso"),
    Column("indicatori_di_risultato", "string", "Indicatori di risultato (testo della scheda)"),
    Column("scadenza_finale", "string", "Scadenza finale (come stampata)"),
    Column("scadenza_finale_data", "date", "Scadenza finale (data)"),
    Column("peso", "number", "Peso dell'obiettivo (%)"),
]

FASI = [
    *COMMON,
    Column("codice_obiettivo", "string", "Codice dell'obiettivo", required=True),
    Column("fase", "string", "Fase (come stampata)", required=True),
    Column("ordine", "integer", "Ordine della fase nell'obiettivo"),
    Column("descrizione", "string", "Descrizione della fase"),
    Column("incidenza", "number", "Incidenza % della fase", "Vuota per una fase senza peso."),
    Column("annualita", "integer", "Annualità in cui la fase conta"),
    Column("responsabili_coinvolti", "string", "Codifica responsabili coinvolti (come stampata)"),
    Column("scadenza_prevista", "string", "Scadenza prevista (come stampata)"),
    Column("scadenza_data", "date", "Scadenza prevista (data, se determinata)"),
]

INDICATORI = [
    *COMMON,
    Column("codice_obiettivo", "string", "Codice dell'obiettivo", required=True),
    Column("indicatore", "string", "Indicatore", required=True),
    Column("tipo", "string", "Tipo di valore"),
    Column("unita_di_misura", "string", "Unità di misura"),
    Column("valore_di_partenza", "number", "Valore di partenza"),
    Column("periodo_valore_di_partenza", "string", "Periodo del valore di partenza"),
    Column("target", "number", "Target"),
    Column("target_data", "date", "Target (data)"),
    Column("verso", "string", "Verso (più alto o più basso è meglio)"),
    Column("fonte_dei_dati", "string", "Fonte dei dati"),
    Column("valore_rilevato", "number", "Valore rilevato", "Il valore che conta, pubblicato a obiettivo validato."),
    Column("valore_rilevato_data", "date", "Valore rilevato (data)"),
]

RISULTATI = [
    Column("anno", "integer", "Anno del PEG", required=True),
    Column("fascia", "string", "Fascia di valutazione", required=True),
    Column("quota_retribuzione_risultato", "number", "Quota della retribuzione di risultato della fascia (%)"),
    Column("responsabili", "integer", "Numero di responsabili nella fascia", required=True),
    Column("quota_responsabili", "number", "Quota dei responsabili nella fascia (%)"),
]


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def _objectives(peg: Peg) -> list[Obiettivo]:
    queryset = (
        Obiettivo.objects.filter(peg=peg)
        .select_related("settore", "settore__head", "dirigente")
        .prefetch_related(Prefetch("fasi", queryset=Fase.objects.order_by("sort_order", "pk")))
        .in_print_order()
    )
    if hasattr(Obiettivo, "indicatori"):
        queryset = queryset.prefetch_related("indicatori")
    return list(queryset)


def _head_name(obiettivo: Obiettivo) -> str:
    head = obiettivo.head
    return head.display_name if head is not None else ""


def tables(peg: Peg) -> list[Table]:
    obiettivi = _objectives(peg)
    objective_rows, phase_rows, indicator_rows = [], [], []
    for obiettivo in obiettivi:
        base = {"anno": peg.year, "struttura": obiettivo.settore.name}
        objective_rows.append(
            {
                **base,
                "tipo_struttura": obiettivo.settore.get_kind_display(),
                "responsabile": _head_name(obiettivo),
                "codice_obiettivo": obiettivo.code,
                "titolo": obiettivo.title,
                "finalita_strategiche": obiettivo.strategic_aims,
                "direttive": obiettivo.directives,
                "risultato_atteso": obiettivo.expected_result,
                "indicatori_di_risultato": obiettivo.indicators,
                "scadenza_finale": obiettivo.final_deadline_text,
                "scadenza_finale_data": obiettivo.final_deadline,
                "peso": _number(obiettivo.weight),
            }
        )
        for fase in obiettivo.fasi.all():
            phase_rows.append(
                {
                    **base,
                    "codice_obiettivo": obiettivo.code,
                    "fase": fase.label,
                    "ordine": fase.sort_order,
                    "descrizione": fase.description,
                    "incidenza": _number(fase.weight),
                    "annualita": fase.year,
                    "responsabili_coinvolti": fase.responsabili_text,
                    "scadenza_prevista": fase.deadline_text,
                    "scadenza_data": fase.deadline_date,
                }
            )
        validated = is_validated(obiettivo)
        for indicatore in getattr(obiettivo, "indicatori", None).all() if hasattr(obiettivo, "indicatori") else []:
            outcome = indicatore.outcome if validated else None
            value = getattr(outcome, "value", None)
            indicator_rows.append(
                {
                    **base,
                    "codice_obiettivo": obiettivo.code,
                    "indicatore": indicatore.name,
                    "tipo": indicatore.get_kind_display(),
                    "unita_di_misura": indicatore.unit,
                    "valore_di_partenza": _number(indicatore.baseline_value),
                    "periodo_valore_di_partenza": indicatore.baseline_period,
                    "target": _number(indicatore.target_value),
                    "target_data": indicatore.target_date,
                    "verso": indicatore.get_direction_display(),
                    "fonte_dei_dati": indicatore.data_source,
                    "valore_rilevato": _number(value) if isinstance(value, (int, Decimal)) else None,
                    "valore_rilevato_data": value if isinstance(value, dt.date) else None,
                }
            )
    band_rows = [
        {
            "anno": peg.year,
            "fascia": row.label,
            "quota_retribuzione_risultato": _number(row.pay_share),
            "responsabili": row.heads,
            "quota_responsabili": _number(row.share),
        }
        for row in distribution_rows(head_results(peg))
    ]
    return [
        Table(
            "obiettivi",
            "Obiettivi del PEG",
            "Gli obiettivi di gestione di ciascuna struttura.",
            OBIETTIVI,
            objective_rows,
        ),
        Table("fasi", "Fasi degli obiettivi", "Le fasi progettuali con incidenza e scadenze.", FASI, phase_rows),
        Table(
            "indicatori",
            "Indicatori di risultato",
            "Gli indicatori con valore di partenza e target.",
            INDICATORI,
            indicator_rows,
        ),
        Table(
            "risultati",
            "Distribuzione dei responsabili per fascia",
            "Dati aggregati sulla retribuzione di risultato: quanti responsabili in ciascuna fascia.",
            RISULTATI,
            band_rows,
        ),
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def table_csv(table: Table) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row[column.name]) for column in table.columns])
    return output.getvalue().encode("utf-8")


def table_json(table: Table) -> bytes:
    rows = [{column.name: _json_value(row[column.name]) for column in table.columns} for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def datapackage(peg: Peg, version: int, data_tables: list[Table], *, licence: str, created: dt.datetime) -> bytes:
    title, path = LICENCES[licence]
    resources = []
    for table in data_tables:
        common = {"title": table.title, "description": table.description, "encoding": "utf-8", "schema": table.schema()}
        resources.append(
            {"name": table.name, "path": f"{table.name}.csv", "format": "csv", "mediatype": "text/csv", **common}
        )
        resources.append(
            {
                "name": f"{table.name}-json",
                "path": f"{table.name}.json",
                "format": "json",
                "mediatype": "application/json",
                **common,
            }
        )
    descriptor = {
        "name": f"peg-{peg.year}-v{version}",
        "title": f"{peg.ente} – Piano Esecutivo di Gestione {peg.year}, versione {version}",
        "description": "Obiettivi, fasi e indicatori del PEG e dati aggregati sulla distribuzione dei "
        "responsabili per fascia di valutazione (d.lgs. 33/2013, artt. 10 e 20).",
        "version": str(version),
        "created": created.replace(microsecond=0).isoformat(),
        "licenses": [{"name": licence, "title": title, "path": path}],
        "resources": resources,
    }
    return json.dumps(descriptor, ensure_ascii=False, indent=1).encode("utf-8")


def data_files(data_tables: list[Table]) -> dict[str, tuple[str, bytes]]:
    """{file name: (media type, content)} for every table, CSV and JSON; datapackage.json apart."""
    files = {}
    for table in data_tables:
        files[f"{table.name}.csv"] = ("text/csv; charset=utf-8", table_csv(table))
        files[f"{table.name}.json"] = ("application/json", table_json(table))
    return files


def current_licence() -> str:
    return settings.PEG_OPEN_DATA_LICENSE
