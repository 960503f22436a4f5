# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""A synthetic PEG document of any size, in the printed format of the 2021 Città di Alessandria PEG.

    synthetic_document(objectives=10_000, year=2031, seed=2021)  →  the text import_peg reads

For load tests and benchmarks (manage.py generate_peg, benchmarks/): N objectives over about N/33
units (Settori, Servizi Autonomi, Aree, an Azienda Speciale), each led by a head (Dirigente,
Responsabile in P.O., Direttore; some persons head two units), with the card texts of the 2021
cards (finalità, direttive, risultato atteso, indicatori, vincoli, risorse), 2–6 weighted phases
whose deadlines are dates, "in corso d'anno", relative to another phase or "Conclusa", sub-phases
"2 a)"/"b)", multi-year objectives (an annualità of the PEG year and one of the next), phases
citing the codes of the closing Elenco Responsabili (other units' codes, offices without
objectives, an external body). The same arguments always give the same text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import product

_UNIT_THEMES = [
    "GABINETTO DEL SINDACO, CERIMONIALE E AFFARI GENERALI",
    "SISTEMI INFORMATIVI ED E-GOVERNMENT",
    "RISORSE FINANZIARIE E TRIBUTI",
    "URBANISTICA E PATRIMONIO",
    "LAVORI PUBBLICI, INFRASTRUTTURE E SMART CITY",
    "SVILUPPO ECONOMICO, COMMERCIO E TURISMO",
    "POLITICHE SOCIALI E SERVIZI ALLA PERSONA",
    "SERVIZI DEMOGRAFICI E STATO CIVILE",
    "POLITICHE EDUCATIVE E ISTRUZIONE",
    "TRASPARENZA, POLITICHE CULTURALI E BIBLIOTECA",
    "AMBIENTE, MOBILITÀ E PROTEZIONE CIVILE",
    "EDILIZIA PRIVATA E SPORTELLO UNICO",
]
_AUTONOMOUS_THEMES = [
    "AVVOCATURA",
    "POLIZIA LOCALE",
    "RISORSE UMANE",
    "GARE APPALTI E CONTRATTI",
    "PROGRAMMAZIONE E CONTROLLO",
    "UFFICIO STAMPA",
    "PREVENZIONE E PROTEZIONE",
]
_AREA_THEMES = ["TECNICA", "AMMINISTRATIVA CONTABILE", "SERVIZI AL CITTADINO"]
_DISTRICTS = [
    "CENTRO",
    "CRISTO",
    "PISTA",
    "ORTI",
    "EUROPA",
    "GALIMBERTI",
    "SPINETTA",
    "SAN MICHELE",
    "CASTELCERIOLO",
    "LOBBI",
    "VALLE SAN BARTOLOMEO",
    "CABANETTE",
    "VALMADONNA",
    "LITTA PARODI",
    "MANDROGNE",
    "CASCINAGROSSA",
]
_FIRST_NAMES = [
    "Luca",
    "Giulia",
    "Marco",
    "Francesca",
    "Paolo",
    "Chiara",
    "Andrea",
    "Elena",
    "Roberto",
    "Daniela",
    "Fabrizio",
    "Orietta",
    "Alberto",
    "Mariagrazia",
    "Stefano",
    "Silvia",
    "Giorgio",
    "Laura",
    "Pierfranco",
    "Antonella",
    "Massimo",
    "Cristina",
    "Alessandro",
    "Federica",
    "Enrico",
    "Valentina",
    "Matteo",
    "Paola",
    "Davide",
    "Simona",
]
_LAST_NAMES = [
    "Rossi",
    "Bianchi",
    "Ferrari",
    "Galandra",
    "Robotti",
    "Calcagni",
    "Bassani",
    "Berri",
    "Furia",
    "Bocchio",
    "Zaccone",
    "Ghiglione",
    "Cavallero",
    "Barbero",
    "Bruno",
    "Gallo",
    "Costa",
    "Fontana",
    "Marchese",
    "Ravazzi",
    "Cermelli",
    "Lombardi",
    "Mussa",
    "Oddone",
    "Parodi",
    "Rapetti",
    "Scotti",
    "Traverso",
    "Vitale",
    "Zerbo",
    "Baldi",
    "Novelli",
    "Sacco",
    "Ferraris",
    "Guasco",
    "Piacenza",
]
_HONORIFICS = ["Dott.", "Dott.ssa", "Avv.", "Arch.", "Ing.", "Geom.", "Rag."]

_ACTIONS = [
    "Riorganizzazione",
    "Digitalizzazione",
    "Attuazione",
    "Progettazione e implementazione",
    "Messa a regime",
    "Razionalizzazione",
    "Monitoraggio",
    "Aggiornamento",
    "Revisione",
    "Potenziamento",
    "Semplificazione",
    "Riqualificazione e valorizzazione",
]
_SUBJECTS = [
    "dei flussi di informazione e comunicazione istituzionale",
    "dei procedimenti amministrativi di competenza del Settore",
    "del sistema di controllo di gestione",
    "delle procedure di riscossione delle entrate tributarie",
    "del servizio di pubblica illuminazione",
    "dell'archivio documentale e del protocollo informatico",
    "degli spazi urbani del centro storico",
    "dei servizi on line per cittadini e imprese",
    "del piano triennale di prevenzione della corruzione",
    "delle azioni esplicitate nei processi del PRFP 2019-2038",
    "del regolamento comunale sull'occupazione di suolo pubblico",
    "del patrimonio immobiliare comunale",
    "dei servizi educativi per la prima infanzia",
    "dei controlli sulle società partecipate",
    "della sicurezza nei luoghi di lavoro",
    "del piano della mobilità urbana sostenibile (PUMS)",
]
_PURPOSES = [
    "con definizione di protocolli di flusso interno per la gestione in/out con l'utenza",
    "in attuazione del Piano di riequilibrio finanziario pluriennale",
    "secondo le linee guida AgID sulla transizione al digitale",
    "con il coinvolgimento dei Settori e dei Servizi Autonomi interessati",
    "nel rispetto del cronoprogramma approvato dalla Giunta Comunale",
    "in sinergia con le società del Gruppo AMAG",
    "in coerenza con gli obiettivi operativi del DUP",
]
_AIMS = [
    "garantire la riduzione della spesa afferente al Settore, al fine del conseguimento del riequilibrio pluriennale",
    "fornire un'adeguata e tempestiva comunicazione con gli uffici e con l'utenza degli atti protocollati",
    "migliorare la qualità dei servizi resi ai cittadini riducendo i tempi medi dei procedimenti",
    "assicurare la trasparenza dell'azione amministrativa e l'accessibilità dei dati pubblicati",
    "valorizzare il patrimonio comunale e incrementarne la redditività",
    "rafforzare il presidio del territorio e la sicurezza urbana",
    "favorire la sostenibilità ambientale e la vivibilità dei luoghi",
]
_DIRECTIVE_SENTENCES = [
    "Le basi necessarie all'avvio del progetto sono state poste nello specifico obiettivo dell'anno precedente.",
    "Le attività si svilupperanno in sinergia con tutti i Settori e i Servizi del Comune coinvolti per le "
    "proprie competenze.",
    "Il percorso è stato condiviso con la Giunta Comunale, che ne ha preso atto favorevolmente con nota n. {n} "
    "del {day}.",
    "Si procederà con la ricognizione dello stato di fatto, l'individuazione delle criticità e la definizione "
    "delle azioni correttive.",
    "Lo sviluppo annuale avverrà con le modalità e con le tempistiche sotto riportate.",
    "Il progetto richiede il supporto di professionalità esterne all'Ente, da individuarsi con procedura ad "
    "evidenza pubblica ai sensi del D.Lgs. 50/2016.",
    "Si darà attuazione alla Deliberazione della Giunta Comunale n. {n} del {day}.",
]
_PHASE_TEXTS = [
    "Ricognizione dello stato di fatto e analisi delle criticità",
    "Elaborazione e approvazione del nuovo sistema operativo relativo ai flussi",
    "Predisposizione della proposta di deliberazione per la Giunta Comunale",
    "Implementazione del nuovo sistema e primo feed back valutativo",
    "Formazione del personale coinvolto e avvio in esercizio",
    "Individuazione dei supporti professionali esterni all'Ente",
    "Pubblicazione dell'avviso e raccolta delle manifestazioni di interesse",
    "Redazione del report finale attestante la funzionalità del nuovo sistema",
    "Verifica a campione degli atti e trasmissione delle risultanze ai Responsabili dei Servizi",
    "Approvazione da parte degli Enti preposti e avvio delle attività",
    "Aggiornamento della modulistica e della sezione Amministrazione Trasparente",
    "Valutazione e condivisione delle proposte con la componente politica e gli assessori competenti",
]
_EXPECTED = [
    "Fornire un'adeguata e tempestiva comunicazione con gli uffici e con l'utenza",
    "Riduzione dei tempi medi di conclusione dei procedimenti",
    "Approvazione del nuovo regolamento da parte del Consiglio Comunale",
    "Attivazione dei nuovi servizi on line per cittadini e imprese",
    "Proposta di pianificazione degli interventi finalizzata alla definizione di un master plan",
]
_INDICATORS = [
    "rispetto della tempistica",
    "rispetto della tempistica; completezza delle fasi",
    "numero di procedimenti digitalizzati / numero di procedimenti del Settore",
    "percentuale di atti verificati sul totale degli atti adottati",
]
_CONSTRAINTS = [
    "",
    "",
    "parere preventivo della Soprintendenza",
    "erogazione dei finanziamenti regionali nei tempi previsti",
    "espletamento da parte di AMAG SpA delle attività di competenza nel rispetto della tempistica programmata",
    "disponibilità delle risorse finanziarie assegnate con il bilancio di previsione",
]
_HUMAN = ["assegnate con PEG", "individuate all'interno dell'Ente", "personale del Settore", ""]
_MONEY = ["assegnate con PEG", "COME DA BILANCIO {year}/{later}", "nessuna risorsa aggiuntiva", ""]
_PROGRESS_NOTE = "Attività avviate come da cronoprogramma; in corso la predisposizione degli atti."
_EXTERNAL = ["AMAG RETI", "AMAG AMBIENTE SPA", "ARAL S.p.A.", "Regione Piemonte"]


@dataclass(frozen=True)
class SyntheticUnit:
    name: str
    code: str
    role: str  # as printed before the name: Dirigente, Responsabile in P.O., Direttore
    signature: str
    honorific: str
    head_name: str
    numbered: bool  # objectives numbered 1, 2… instead of A, B…


def unit_count(objectives: int) -> int:
    """About 33 objectives per unit, as the issue's 10,000-objective PEG (300 units); at least three."""
    return max(min(objectives, 3), round(objectives / 33))


def synthetic_units(count: int, rng: random.Random) -> list[SyntheticUnit]:
    names = iter(rng.sample(list(product(_FIRST_NAMES, _LAST_NAMES)), len(_FIRST_NAMES) * len(_LAST_NAMES)))
    used_codes: set[str] = set()
    units: list[SyntheticUnit] = []
    head = None
    for index in range(count):
        roll = rng.random()
        district = _DISTRICTS[index % len(_DISTRICTS)]
        number = index // len(_DISTRICTS) + 1
        suffix = f"- AMBITO {district} {number}"
        if index == count - 1 and count > 3:
            kind, theme, role, signature = (
                "AZIENDA SPECIALE",
                "MULTISERVIZI COSTRUIRE INSIEME",
                "Direttore",
                "Direttore",
            )
        elif roll < 0.6:
            kind, theme, role, signature = "SETTORE", rng.choice(_UNIT_THEMES), "Dirigente", "Dirigente"
        elif roll < 0.9:
            kind, theme = "SERVIZIO AUTONOMO", rng.choice(_AUTONOMOUS_THEMES)
            role, signature = "Responsabile in P.O.", "Responsabile in P.O"
        else:
            kind, theme, role, signature = "AREA", rng.choice(_AREA_THEMES), "Dirigente", "Dirigente"
        # One person heads two units now and then (Arch. Robotti heads AREA TECNICA and a Settore).
        if head is None or rng.random() >= 0.08:
            first, last = next(names, (f"{rng.choice(_FIRST_NAMES)} {index}", rng.choice(_LAST_NAMES)))
            head = (rng.choice(_HONORIFICS), f"{first} {last}")
        code = str(rng.randint(2000, 39999))
        while code in used_codes:
            code = str(rng.randint(2000, 39999))
        used_codes.add(code)
        units.append(
            SyntheticUnit(
                name=f"{kind} {theme} {suffix}",
                code=code,
                role=role,
                signature=signature,
                honorific=head[0],
                head_name=head[1],
                numbered=rng.random() < 0.15,
            )
        )
    return units


def _objective_code(index: int, numbered: bool) -> str:
    if numbered:
        return str(index + 1)
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _weights(count: int, rng: random.Random) -> list[int]:
    """`count` multiples of 5 summing to 100."""
    cuts = sorted(rng.sample(range(1, 20), count - 1))
    bounds = [0, *cuts, 20]
    return [(bounds[i + 1] - bounds[i]) * 5 for i in range(count)]


def _date(day: int, month: int, year: int) -> str:
    return f"{day:02d}/{month:02d}/{year}"


_MONTH_ENDS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _deadlines(count: int, year: int, rng: random.Random) -> list[int]:
    """Increasing months of the year for `count` phases."""
    months = sorted(rng.sample(range(2, 13), min(count, 11)))
    while len(months) < count:
        months.append(12)
    return months


def _codes_cell(unit: SyntheticUnit, catalogue: list[str], rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return ""
    others = [code for code in rng.sample(catalogue, min(len(catalogue), 4)) if code != unit.code]
    chosen = others[: rng.choice([1, 1, 2, 3])]
    if not chosen:
        return ""
    if roll < 0.58:
        return f"{rng.choice(_EXTERNAL)} / {chosen[0]}"
    if roll < 0.60:
        return f"{chosen[0]} ({unit.code})"
    separator = rng.choice([", ", " - ", "-"])
    return separator.join(chosen)


def _sentence(options: list[str], rng: random.Random, year: int) -> str:
    return rng.choice(options).format(
        n=rng.randint(10, 250), day=_date(rng.randint(1, 28), rng.randint(1, 12), year - 1), year=year, later=year + 2
    )


def _card(unit: SyntheticUnit, code: str, year: int, catalogue: list[str], rng: random.Random) -> list[str]:
    title = f"{rng.choice(_ACTIONS)} {rng.choice(_SUBJECTS)} {rng.choice(_PURPOSES)}"
    multi_year = rng.random() < 0.06
    directives = " ".join(_sentence(_DIRECTIVE_SENTENCES, rng, year) for _ in range(rng.randint(0, 4)))
    lines = [
        "CITTA' DI ALESSANDRIA",
        "",
        unit.name,
        "",
        f"{unit.role} {unit.honorific} {unit.head_name}",
        "",
        f"Obiettivo {code}: {title}",
        "",
        f"Finalità Strategiche: {rng.choice(_AIMS)}",
        "",
        f"Direttive specifiche - descrizione: {directives}".rstrip(),
        "",
        "Tempistica:",
        "",
        "Fasi progettuali di sviluppo dell'obiettivo",
        "",
        "\tDescrizione\tIncidenza %\tCodifica Responsabili coinvolti\tScadenze previste",
    ]
    number = 1
    # A phase done the year before, as LLPP A and SISTEMI INFORMATIVI B print.
    if not multi_year and rng.random() < 0.05:
        lines.append(f"fase {number}:\t{rng.choice(_PHASE_TEXTS)}\t0%\t\tConclusa")
        number += 1
    count = rng.choices([2, 3, 4, 5, 6], weights=[14, 26, 30, 18, 12])[0]
    lines += _phase_rows(unit, number, count, year, catalogue, rng)
    number += count
    final = _date(31, 12, year)
    if multi_year:
        lines.append(f"Scadenza raggiungimento obiettivo annualità {year}:\t\t100%\t\t{_date(31, 12, year)}")
        later = rng.randint(2, 3)
        lines += _phase_rows(unit, number, later, year + 1, catalogue, rng, split=False)
        final = _date(31, 12, year + 1)
        lines.append(f"Scadenza finale per il raggiungimento dell'obiettivo:\t\t100%\t\t{final}")
    else:
        lines.append("\t\t100%\t\t")
        roll = rng.random()
        if roll < 0.08:
            final = f"{_date(30, 11, year)} presumibilmente"
        elif roll < 0.2:
            final = _date(30, rng.choice([6, 9, 11]), year)
        lines.append(f"Scadenza finale per il raggiungimento dell'obiettivo:\t\t\t\t{final}")
    constraints = rng.choice(_CONSTRAINTS)
    lines += [
        "",
        f"Risultato atteso: {rng.choice(_EXPECTED)}",
        "Obiettivo raggiunto al 100%: espletamento delle fasi previste entro la scadenza finale",
        "Obiettivo non raggiunto: mancato espletamento delle fasi previste entro la scadenza finale",
        f"Indicatori di risultato: {rng.choice(_INDICATORS)}",
        "",
        f"Vincoli: {constraints}".rstrip(),
        "",
        f"Risorse Umane: {rng.choice(_HUMAN)}".rstrip(),
        "",
        f"Risorse Finanziarie: {_sentence(_MONEY, rng, year)}".rstrip(),
        "",
        f"Il {unit.signature}",
        "",
        "Visto di validazione: il Nucleo di Valutazione",
        "",
        "",
        "",
    ]
    return lines


def _phase_rows(unit, first: int, count: int, year: int, catalogue, rng, *, split: bool = True) -> list[str]:
    weights = _weights(count, rng)
    months = _deadlines(count, year, rng)
    split_at = rng.randrange(count) if split and rng.random() < 0.05 else None
    rows = []
    for offset, (weight, month) in enumerate(zip(weights, months, strict=True)):
        number = first + offset
        roll = rng.random()
        relative = offset and offset - 1 != split_at  # the phase before was not split into a) b)
        if relative and roll < 0.06:
            deadline = f"{rng.choice([30, 60, 90])} giorni dalla conclusione della fase {number - 1}"
        elif relative and roll < 0.09:
            deadline = f"{rng.choice([1, 2])} mesi da fase {number - 1})"
        elif roll < 0.17:
            deadline = "in corso d'anno"
        else:
            deadline = _date(_MONTH_ENDS[month] if rng.random() < 0.7 else 15, month, year)
        description = rng.choice(_PHASE_TEXTS)
        codes = _codes_cell(unit, catalogue, rng)
        label = f"fase {number}:" if rng.random() < 0.97 else f"fase {number} :"
        if offset == split_at and weight >= 10:
            first_part = weight // 10 * 5
            rows.append(f"{label}\ta) {description}: prima parte\t{first_part}%\t{codes}\t{deadline}")
            rows.append(f"\tb) {description}: seconda parte\t{weight - first_part}%\t\t{_date(31, 12, year)}")
            continue
        rows.append(f"{label}\t{description}\t{weight}%\t{codes}\t{deadline}")
    return rows


def synthetic_document(objectives: int, *, year: int, seed: int = 2021, units: int | None = None) -> str:
    """The text of a PEG of `objectives` cards over `units` units (default unit_count(objectives))."""
    if objectives < 1:
        raise ValueError("at least one objective")
    rng = random.Random(f"{seed}:{objectives}:{year}")
    unit_list = synthetic_units(units or unit_count(objectives), rng)
    # Offices cited by phases that have no objectives of their own (Ufficio Stampa, Segretario Generale…).
    offices = [("2245", "SEGRETARIO GENERALE"), ("12224", "UFFICIO AUTONOMO DPO")]
    offices = [(code, text) for code, text in offices if code not in {u.code for u in unit_list}]
    catalogue = [unit.code for unit in unit_list] + [code for code, _ in offices]
    per_unit = [objectives // len(unit_list)] * len(unit_list)
    for index in range(objectives % len(unit_list)):
        per_unit[index] += 1
    lines = [
        "",
        "CITTÀ DI ALESSANDRIA",
        "",
        "**PIANO ESECUTIVO DI GESTIONE",
        "(P.E.G.) PROVVISORIO",
        f"(Obiettivi {year})**",
        "",
        "Centro Stampa Comunale",
        "",
        "",
        "",
    ]
    for unit, count in zip(unit_list, per_unit, strict=True):
        for index in range(count):
            lines += _card(unit, _objective_code(index, unit.numbered), year, catalogue, rng)
    lines.append(f"codifica\tElenco Responsabili (Macrostruttura in vigore dal 01.01.{year})")
    for unit in unit_list:
        lines.append(f"{unit.code}\tRESPONSABILE {unit.name}")
    for code, text in offices:
        lines.append(f"{code}\t{text}")
    return "\n".join(lines) + "\n"


# --- monitoring entered as the heads would enter it ------------------------------------------------


@dataclass
class MonitoringSummary:
    objectives: int = 0
    completed: int = 0
    late: int = 0
    in_progress: int = 0
    reported: int = 0
    validated: int = 0

    def summary(self) -> str:
        return (
            f"Monitoraggio inserito su {self.objectives} obiettivi: {self.completed} fasi completate "
            f"(di cui {self.late} in ritardo), {self.in_progress} in corso con avanzamento, "
            f"{self.reported} obiettivi rendicontati, {self.validated} validati."
        )


def head_users(peg) -> dict[int, object]:
    """A login for each head of the PEG's units that has none (no usable password: for the
    workflow's checks; a benchmark sets passwords on the few it logs in with). Dirigente pk → user."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils.text import slugify

    from objectives.access import GROUP_DIRIGENTE
    from sectors.models import Dirigente

    group = Group.objects.get_or_create(name=GROUP_DIRIGENTE)[0]
    user_model = get_user_model()
    users = {}
    for dirigente in Dirigente.objects.filter(settori__obiettivi__peg=peg).distinct().select_related("user"):
        user = dirigente.user
        if user is None:
            user, created = user_model.objects.get_or_create(username=f"peg.{slugify(dirigente.name)}"[:150])
            if created:
                first, _, last = dirigente.name.partition(" ")
                user.first_name, user.last_name = first[:150], last[:150]
                user.set_unusable_password()
                user.save()
            user.groups.add(group)
            dirigente.user = user
            dirigente.save(update_fields=["user"])
        users[dirigente.pk] = user
    return users


def nucleo_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from objectives.access import GROUP_NUCLEO

    user, created = get_user_model().objects.get_or_create(username="peg.nucleo-sintetico")
    if created:
        user.first_name, user.last_name = "Nucleo", "di Valutazione (sintetico)"
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get_or_create(name=GROUP_NUCLEO)[0])
    return user


def enter_monitoring(peg, *, percent: float, seed: int = 2021, today=None) -> MonitoringSummary:
    """Monitoring on `percent`% of the PEG's objectives, through objectives.workflow as the heads
    enter it: the phases due before `today` completed (most on time, some late, a few left),
    the next one in progress with a percentage and a note; some fully completed objectives
    reported, and some of those validated by the Nucleo. One transaction; the stored figures
    are refreshed once at the end (objectives.facts.deferred)."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from objectives import facts, workflow
    from objectives.models import Fase, FaseState, Obiettivo

    today = today or timezone.localdate()
    rng = random.Random(f"{seed}:monitoring:{peg.year}")
    summary = MonitoringSummary()
    year_start = dt.date(peg.year, 1, 1)
    with transaction.atomic(), facts.deferred():
        users = head_users(peg)
        nucleo = None
        obiettivi = list(Obiettivo.objects.filter(peg=peg).select_related("settore").order_by("pk"))
        chosen = [o for o in obiettivi if rng.random() * 100 < percent]
        phases_of: dict[int, list[Fase]] = {}
        for fase in Fase.objects.filter(obiettivo__in=[o.pk for o in chosen]).order_by("obiettivo_id", "sort_order"):
            phases_of.setdefault(fase.obiettivo_id, []).append(fase)
        for obiettivo in chosen:
            user = users.get(obiettivo.settore.head_id)
            phases = phases_of.get(obiettivo.pk, [])
            if user is None or not phases:
                continue
            summary.objectives += 1
            by_label = {fase.label: fase for fase in phases}
            all_done = True
            started = False
            for fase in phases:
                if fase.year != peg.year:
                    continue
                due = fase.due_date(by_label)
                if due is not None and due < today and not started:
                    roll = rng.random()
                    if roll < 0.05:
                        all_done = False
                        continue  # left behind: late and not completed
                    if roll < 0.78:
                        completed_on = due - dt.timedelta(days=rng.randint(0, 20))
                    else:
                        completed_on = due + dt.timedelta(days=rng.randint(1, 45))
                        summary.late += 1
                    completed_on = min(max(completed_on, year_start), today)
                    workflow.update_phase(
                        fase=fase,
                        user=user,
                        version=fase.version,
                        state=FaseState.COMPLETATA,
                        completed_on=completed_on,
                        evidence=f"Determinazione dirigenziale n. {rng.randint(1, 2500)} del "
                        f"{completed_on.strftime('%d/%m/%Y')}",
                    )
                    summary.completed += 1
                    continue
                all_done = False
                if not started:
                    started = True
                    workflow.update_phase(
                        fase=fase,
                        user=user,
                        version=fase.version,
                        state=FaseState.IN_CORSO,
                        completed_on=None,
                        evidence="",
                        progress_percent=rng.choice([10, 25, 40, 50, 60, 75, 90]),
                        progress_note=_PROGRESS_NOTE,
                    )
                    summary.in_progress += 1
            if all_done and rng.random() < 0.4:
                workflow.submit_report(
                    obiettivo=obiettivo, user=user, comment="Relazione finale: fasi completate come da cronoprogramma."
                )
                summary.reported += 1
                if rng.random() < 0.5:
                    nucleo = nucleo or nucleo_user()
                    workflow.validate(obiettivo=obiettivo, user=nucleo, on=today)
                    summary.validated += 1
    return summary
