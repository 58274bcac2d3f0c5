#!/usr/bin/env python3
"""Reads an activity edit page on stdin; prints its form as a url-encoded body, as a browser
would send it, with the reference left blank (kept on save), version 1 and the CSRF token."""
import sys
import urllib.parse
from html.parser import HTMLParser

class Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pairs = []
        self.select = None
        self.textarea = None
        self.text = ""
        self.inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action", "")
            self.inside = action.startswith("/activities/") and action.rsplit("/", 1)[-1].isdigit()
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.pairs.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.pairs.append((self.textarea, self.text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data

p = Form()
p.feed(sys.stdin.read())
out = [("action", "save")]
for k, v in p.pairs:
    if k == "reference":
        v = ""
    elif k == "version":
        v = "1"
    out.append((k, v))
print(urllib.parse.urlencode(out), end="")
