// SPDX-License-Identifier: EUPL-1.2
// Copyright (C) 2026 Comune di Alessandria and the PEG contributors
// After an action (a save, a refusal) the page's message takes the focus, so that a screen reader
// reads it and keyboard users continue from there instead of from the top of the page.
window.addEventListener("load", function () {
  var target = document.querySelector("[data-peg-focus]");
  if (target) {
    target.focus();
  }
});
