"""What the nominations app tells the apps above it, which it must not import (see the layers in
docs/architecture.md). Receivers live in the receiving app's ``receivers.py``."""

from django.dispatch import Signal

# A nomination was handed in (submitted, or imported from a forwarding package). Sent once the
# transaction has committed, with ``nomination_id``. The documents app renders its PDF form.
handed_in = Signal()

# A stamped scan was stored (uploaded, or imported with a package). Sent once the transaction has
# committed, with ``attachment_id``. The documents app searches it for the seal.
stamped_pdf_stored = Signal()
