// SPDX-License-Identifier: EUPL-1.2
// Copyright (C) 2026 Comune di Alessandria and the PEG contributors
// The job's progress bar: its width comes from data-percent (no style attribute: strict CSP), and
// while the document is being prepared the page asks the job's state every second.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  const bar = box.querySelector("[role=progressbar]");
  const label = box.querySelector("[data-job-label]");
  const percent = box.querySelector("[data-job-percent]");
  const parts = box.querySelector("[data-job-parts]");
  const download = document.getElementById("scarica-documento");
  const error = document.getElementById("errore-documento");
  const INTERVAL = 1000;

  const draw = (value) => {
    bar.style.width = `${value}%`;
    bar.setAttribute("aria-valuenow", String(value));
    bar.dataset.percent = String(value);
  };

  const show = (state) => {
    draw(state.percent);
    label.textContent = state.status_label;
    percent.textContent = `${state.percent}%`;
    parts.textContent = state.total ? ` (${state.done} di ${state.total} parti)` : "";
    if (state.status === "done") {
      download.hidden = false;
      bar.classList.add("bg-success");
    }
    if (state.error) {
      error.querySelector("[data-job-error]").textContent = state.error;
      error.hidden = false;
      bar.classList.add("bg-danger");
    }
  };

  const poll = () => {
    fetch(box.dataset.jobStatusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((state) => {
        if (!state) return;
        show(state);
        if (!state.finished) window.setTimeout(poll, INTERVAL);
      })
      .catch(() => window.setTimeout(poll, INTERVAL * 5));
  };

  draw(Number(bar.dataset.percent) || 0);
  if (box.dataset.jobFinished !== "1") window.setTimeout(poll, INTERVAL);
});
