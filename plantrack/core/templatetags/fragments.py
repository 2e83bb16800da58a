"""``{% memo "name" flag… %}…{% endmemo %}``: a fragment rendered once per process for each language and each
combination of the flags, then reused.

For parts of the page layout that hold nothing but links and translated labels (the main menu, chosen by what the
user may do): reversing a dozen URLs and translating their labels on every page cost more than the rest of the
layout. The flags must be everything the fragment's content depends on besides the language, and the fragment
must read no data, nothing per user but those flags and nothing per request (no CSRF token, no path, no count).
Under ``DEBUG`` nothing is kept, so an edited template shows at once.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, str] = {}
MAX_FRAGMENTS = 512  # names × languages × flag combinations: a few dozen in practice


class MemoNode(template.Node):
    def __init__(self, name: str, flags: list, nodelist):
        self.name, self.flags, self.nodelist = name, flags, nodelist

    def render(self, context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            get_script_prefix(),
            *(bool(flag.resolve(context)) for flag in self.flags),
        )
        found = _rendered.get(key)
        if found is None:
            found = self.nodelist.render(context)
            if len(_rendered) < MAX_FRAGMENTS:
                _rendered[key] = found
        return found


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% memo "name" flag… %} needs a quoted name first')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], nodelist)


def memo_clear() -> None:
    """Forget every fragment (tests that change what a fragment shows)."""
    _rendered.clear()
