#!/usr/bin/python3
"""Picks every file of a folder in the app's native open dialog, with the keys a person uses:
Ctrl+L and the folder's path (Enter goes there), then Ctrl+A and Enter (Open). With --save it
answers a save dialog instead: the name box's text replaced (Ctrl+A) by the whole path, then
Enter (Save). Under Xvfb there is no window manager, so the dialog is given the keyboard focus
first. Keys are sent through the XTEST extension, as from a real keyboard. Exits 1 when no
dialog with the title appears.

    pick-files.py TITLE FOLDER
    pick-files.py --save TITLE PATH"""

import sys
import time

from Xlib import X, XK, display
from Xlib.ext import xtest

d = display.Display()
net_wm_name = d.intern_atom("_NET_WM_NAME")
utf8 = d.intern_atom("UTF8_STRING")

NAMES = {"/": "slash", "-": "minus", ".": "period", "_": "underscore", " ": "space", ":": "colon", "~": "asciitilde", "+": "plus", "=": "equal", ",": "comma"}


def windows(w):
    for child in w.query_tree().children:
        yield child
        yield from windows(child)


def find(title, timeout=15.0):
    end = time.time() + timeout
    while time.time() < end:
        for w in windows(d.screen().root):
            try:
                prop = w.get_full_property(net_wm_name, utf8)
                name = prop.value.decode() if prop else (w.get_wm_name() or "")
                viewable = w.get_attributes().map_state == X.IsViewable
            except Exception:
                continue
            if title in str(name) and viewable:
                return w
        time.sleep(0.1)
    return None


def keycode(char):
    sym = XK.string_to_keysym(NAMES.get(char, char))
    code = d.keysym_to_keycode(sym)
    shift = d.keycode_to_keysym(code, 0) != sym
    return code, shift


def press(code, mods=()):
    for m in mods:
        xtest.fake_input(d, X.KeyPress, m)
    xtest.fake_input(d, X.KeyPress, code)
    xtest.fake_input(d, X.KeyRelease, code)
    for m in reversed(mods):
        xtest.fake_input(d, X.KeyRelease, m)
    d.sync()
    time.sleep(0.03)


SHIFT = d.keysym_to_keycode(XK.string_to_keysym("Shift_L"))
CTRL = d.keysym_to_keycode(XK.string_to_keysym("Control_L"))
RETURN = d.keysym_to_keycode(XK.string_to_keysym("Return"))


def typed(text):
    for c in text:
        code, shift = keycode(c)
        press(code, (SHIFT,) if shift else ())


def focus(title):
    w = find(title)
    if w is None:
        print(f"no window titled {title!r}", file=sys.stderr)
        sys.exit(1)
    w.set_input_focus(X.RevertToParent, X.CurrentTime)
    d.sync()
    time.sleep(0.5)


def save(title, path):
    focus(title)
    press(keycode("a")[0], (CTRL,))
    time.sleep(0.3)
    typed(path)
    time.sleep(0.3)
    press(RETURN)


def main():
    if sys.argv[1] == "--save":
        save(sys.argv[2], sys.argv[3])
        return
    title, folder = sys.argv[1], sys.argv[2]
    focus(title)
    press(keycode("l")[0], (CTRL,))
    time.sleep(0.3)
    typed(folder.rstrip("/") + "/")
    time.sleep(0.3)
    press(RETURN)
    time.sleep(1.0)
    press(keycode("a")[0], (CTRL,))
    time.sleep(0.3)
    press(RETURN)


main()
