// SPDX-License-Identifier: EUPL-1.2
// Copyright (C) 2026 Comune di Alessandria and the PEG contributors
// Loaded before Bootstrap Italia's bundle. The Video.js it contains would add <style> elements to
// every page, which the Content-Security-Policy (style-src 'self') refuses; the PEG shows no video.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
