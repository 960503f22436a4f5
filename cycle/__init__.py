# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The performance cycle: the PEG's states and acts, variations, the next year's PEG."""
