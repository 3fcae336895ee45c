#!/usr/bin/python3
"""Drops files on the Redress window as a file manager does: an XDND drag source (a window of
its own that owns the XdndSelection and offers the files as text/uri-list) sends XdndEnter and
XdndPosition over the middle of the window, waits until the window accepts (XdndStatus), sends
XdndDrop, hands the files over when the window asks for them, and waits for XdndFinished. So the
drop reaches the app through GTK and the webview's native drop handler, the same way as a drop
from a file manager, and the shell records the files as dropped. Exits 1 when no window with the
title takes the drop.

    drop-files.py TITLE PATH..."""

import sys
import time
from urllib.parse import quote

from Xlib import X, Xatom, display, protocol

d = display.Display()
root = d.screen().root
atom = d.intern_atom
XDND_AWARE, XDND_SELECTION, XDND_TYPE_LIST = atom("XdndAware"), atom("XdndSelection"), atom("XdndTypeList")
ENTER, POSITION, STATUS, DROP, FINISHED, LEAVE = (atom(f"Xdnd{n}") for n in ("Enter", "Position", "Status", "Drop", "Finished", "Leave"))
COPY = atom("XdndActionCopy")
URI_LIST, TARGETS = atom("text/uri-list"), atom("TARGETS")
NET_WM_NAME, UTF8 = atom("_NET_WM_NAME"), atom("UTF8_STRING")
VERSION = 5


def windows(w):
    for child in w.query_tree().children:
        yield child
        yield from windows(child)


def target(title, timeout=15.0):
    """The viewable top-level window titled `title` that takes XDND drops."""
    end = time.time() + timeout
    while time.time() < end:
        for w in windows(root):
            try:
                prop = w.get_full_property(NET_WM_NAME, UTF8)
                name = prop.value.decode() if prop else (w.get_wm_name() or "")
                aware = w.get_full_property(XDND_AWARE, X.AnyPropertyType)
                viewable = w.get_attributes().map_state == X.IsViewable
            except Exception:
                continue
            if title in str(name) and aware and viewable:
                return w
        time.sleep(0.1)
    return None


def send(to, kind, data):
    to.send_event(protocol.event.ClientMessage(window=to, client_type=kind, data=(32, data)), event_mask=X.NoEventMask)
    d.flush()


def answer(ev, uris):
    """Hands the files over to the window that asked (a SelectionRequest), or refuses the type."""
    prop = ev.property or ev.target
    if ev.target == URI_LIST:
        ev.requestor.change_property(prop, URI_LIST, 8, uris)
    elif ev.target == TARGETS:
        ev.requestor.change_property(prop, Xatom.ATOM, 32, [TARGETS, URI_LIST])
    else:
        prop = X.NONE
    notify = protocol.event.SelectionNotify(time=ev.time, requestor=ev.requestor, selection=ev.selection, target=ev.target, property=prop)
    ev.requestor.send_event(notify, event_mask=X.NoEventMask)
    d.flush()


def wait_for(kind, uris, timeout, resend=None, until=lambda ev: True):
    """Answers the window's requests until its `kind` message that passes `until` comes; that
    message, or the last `kind` message (None if none) when the time is up."""
    end, last = time.time() + timeout, None
    while time.time() < end:
        while d.pending_events():
            ev = d.next_event()
            if ev.type == X.SelectionRequest:
                answer(ev, uris)
            elif ev.type == X.ClientMessage and ev.client_type == kind:
                if until(ev):
                    return ev
                last = ev
        if resend:
            resend()
        time.sleep(0.05)
    return last


def main():
    title, paths = sys.argv[1], sys.argv[2:]
    to = target(title)
    if to is None:
        print(f"no window titled {title!r} takes drops", file=sys.stderr)
        sys.exit(1)
    uris = "".join(f"file://{quote(p)}\r\n" for p in paths).encode()
    source = root.create_window(-10, -10, 1, 1, 0, X.CopyFromParent)
    source.change_property(XDND_AWARE, Xatom.ATOM, 32, [VERSION])
    source.change_property(XDND_TYPE_LIST, Xatom.ATOM, 32, [URI_LIST])
    source.set_selection_owner(XDND_SELECTION, X.CurrentTime)
    d.flush()
    geo = to.get_geometry()
    at = to.translate_coords(root, geo.width // 2, geo.height // 2)
    position = (at.x << 16) | at.y
    sid = source.id
    send(to, ENTER, [sid, VERSION << 24, URI_LIST, 0, 0])
    last = [0.0]

    def move():
        # The position again now and then, as a moving pointer sends it, until the window answers.
        if time.time() - last[0] > 0.5:
            last[0] = time.time()
            send(to, POSITION, [sid, 0, position, X.CurrentTime, COPY])

    # The webview may refuse until it has read the files it is offered: wait until it accepts.
    accepts = lambda ev: ev.data[1][1] & 1
    status = wait_for(STATUS, uris, 15.0, move, accepts)
    if status is None or not accepts(status):
        send(to, LEAVE, [sid, 0, 0, 0, 0])
        print(f"the window did not accept the drop ({'no answer' if status is None else 'refused'})", file=sys.stderr)
        sys.exit(1)
    send(to, DROP, [sid, 0, X.CurrentTime, 0, 0])
    if wait_for(FINISHED, uris, 15.0) is None:
        print("the window did not finish the drop", file=sys.stderr)
        sys.exit(1)


main()
