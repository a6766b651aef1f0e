"""Form rendering helpers for templates/_field.html."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def choice_items(field) -> SafeString:
    """The `<li>` of every checkbox or radio button of a field, written in Python.

    The same markup as rendering each choice's `tag` in the template, without three templates
    per choice: a list of sixty providers cost more than the rest of its page. The options are
    read from the choices directly, as Django's `optgroups` would build them (attributes, ids
    `<id>_<index>`, the checked ones), without a context dict and a BoundWidget per choice."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    base = widget.build_attrs(widget.attrs, field.build_widget_attrs({"id": id_} if id_ else {}))
    chosen = set(widget.format_value(field.value()))
    input_type = conditional_escape(widget.input_type)
    name = conditional_escape(field.html_name)
    items, has_selected = [], False
    inherited = dict(base) if widget.option_inherits_attrs else {}
    # Every option has the same attributes but its id (and "checked"): written once per state.
    states = {False: _attributes_around_id(inherited),
              True: _attributes_around_id({**inherited, **widget.checked_attribute})}
    for index, (group_value, group_label) in enumerate(widget.choices):
        if isinstance(group_label, list | tuple):
            options = [(v, label, f"{index}_{i}") for i, (v, label) in enumerate(group_label)]
        else:
            options = [("" if group_value is None else group_value, group_label, str(index))]
        for value, label, key in options:
            text = "" if value is None else str(value)
            selected = (widget.allow_multiple_selected or not has_selected) \
                and str(value) in chosen
            has_selected |= selected
            before, id_value, after = states[selected]
            item_id = ""
            if id_value is not None:
                item_id = conditional_escape(widget.id_for_label(id_value, key))
                attributes = f'{before} id="{item_id}"{after}'
            else:
                attributes = before + after
            items.append(f'<li class="choice"><input type="{input_type}" name="{name}" '
                         f'value="{conditional_escape(text)}"{attributes}> '
                         f'<label for="{item_id}" '
                         f'class="checkbox-label">{conditional_escape(label)}</label></li>')
    return mark_safe("".join(items))  # every piece above was escaped


def _attributes(attrs: dict) -> str:
    """`flatatt` without a format_html per attribute, in its order: name="value" pairs
    sorted, then the true booleans sorted; False and None left out."""
    pairs = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {conditional_escape(k)}="{conditional_escape(v)}"' for k, v in pairs) \
        + "".join(f" {conditional_escape(k)}" for k in flags)


def _attributes_around_id(attrs: dict) -> tuple[str, object, str]:
    """`_attributes(attrs)` cut where the id goes: (what comes before it, the id or None,
    what comes after), so each option only writes its own id."""
    id_value = attrs.get("id")
    if id_value is None:
        return _attributes(attrs), None, ""
    rest = {k: v for k, v in attrs.items() if k != "id"}
    pairs = sorted((k, v) for k, v in rest.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in rest.items() if v is True)
    before = "".join(f' {conditional_escape(k)}="{conditional_escape(v)}"'
                     for k, v in pairs if k < "id")
    after = "".join(f' {conditional_escape(k)}="{conditional_escape(v)}"'
                    for k, v in pairs if k > "id") + "".join(
        f" {conditional_escape(k)}" for k in flags)
    return before, id_value, after
