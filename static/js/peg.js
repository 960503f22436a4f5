// SPDX-License-Identifier: EUPL-1.2
// Copyright (C) 2026 Comune di Alessandria and the PEG contributors
// After an action the focus goes where the user has to look: the page's message (a save, a
// refusal) or, when a form came back with errors, its error summary or its first invalid field.
// A screen reader then reads it, and keyboard users go on from there rather than from the top.
// On "load", after Bootstrap Italia's own start-up, which would otherwise take the focus back.
window.addEventListener("load", function () {
  var target = document.querySelector("[data-peg-focus]") || document.querySelector("main .is-invalid");
  if (target) {
    target.focus();
  }
});
