#!/usr/bin/python3
"""Asks the Redress window to close as its close button does: a WM_DELETE_WINDOW message, which
a window manager would send (Xvfb runs none). Exits 1 when no such window is found."""

import sys

from Xlib import X, display, protocol

d = display.Display()
wm_protocols = d.intern_atom("WM_PROTOCOLS")
wm_delete = d.intern_atom("WM_DELETE_WINDOW")
net_wm_name = d.intern_atom("_NET_WM_NAME")
utf8 = d.intern_atom("UTF8_STRING")


def windows(w):
    for child in w.query_tree().children:
        yield child
        yield from windows(child)


want = sys.argv[1] if len(sys.argv) > 1 else "Redress"
for w in windows(d.screen().root):
    try:
        prop = w.get_full_property(net_wm_name, utf8)
        title = prop.value.decode() if prop else (w.get_wm_name() or "")
        protocols = w.get_wm_protocols() or []
    except Exception:
        continue
    if want in str(title) and wm_delete in protocols:
        message = protocol.event.ClientMessage(window=w, client_type=wm_protocols, data=(32, [wm_delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(message, event_mask=X.NoEventMask)
        d.flush()
        sys.exit(0)
sys.exit(1)
