// SPDX-License-Identifier: EUPL-1.2
// Copyright (C) 2026 Comune di Alessandria and the PEG contributors
// The count next to "Le mie attività": asked after the page is shown, so no page waits for it.
document.addEventListener("DOMContentLoaded", () => {
  const badge = document.querySelector("[data-activities-count]");
  if (!badge) return;
  fetch(badge.dataset.activitiesCount, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (data && data.count > 0) {
        badge.querySelector("[data-count]").textContent = data.count;
        badge.hidden = false;
      }
    })
    .catch(() => {});
});
