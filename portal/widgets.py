"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A `<select>` whose options are written in Python rather than one template per option.

    Same markup and attributes as Django's Select; on the public catalogue, whose filters hold
    a hundred options, the per-option templates cost more than the search itself."""

    def render(self, name, value, attrs=None, renderer=None):
        # The base widget's context only: ChoiceWidget's would build a dict per option
        # (`optgroups`), which costs more than writing the option itself.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = set(widget["value"])
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        has_selected = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                group, options = group_value, group_label
                parts.append(format_html('<optgroup label="{}">', group))
            else:
                group, options = None, [(group_value, group_label)]
            for option_value, label in options:
                text = "" if option_value is None else str(option_value)
                selected = text in chosen and (self.allow_multiple_selected or not has_selected)
                has_selected |= selected
                parts.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                             f"{conditional_escape(label)}</option>")
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every piece above was escaped
