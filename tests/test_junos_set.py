"""The Junos braces -> set converter: statements, lists, annotations, and each line's original number."""

from __future__ import annotations

from scanner.configtree import ConfigTree
from scanner.platforms._junos_set import is_brace_form, strip_comment, to_set_lines

BRACES = """\
## Last commit: 2026-11-19 02:11:09 UTC by admin
version 21.4R3-S5.4;
system {
    host-name fw1;
    domain-search [ corp.example lab.example ];
    /* a note
       over two lines */
    services {
        ssh;
        inactive: telnet;
    }
    inactive: syslog {
        host 10.0.0.1 {
            any notice;
        }
    }
    login {
        message "Authorised access only; activity is logged";
        user ops {
            authentication {
                encrypted-password "$6$abc$def"; ## SECRET-DATA
            }
        }
    }
}
protocols {
    lldp {
        interface all;
    }
    rstp;
}
"""


def test_every_leaf_becomes_a_set_line_numbered_as_in_the_original() -> None:
    assert to_set_lines(BRACES) == [
        (2, "set version 21.4R3-S5.4"),
        (4, "set system host-name fw1"),
        (5, "set system domain-search corp.example"),
        (5, "set system domain-search lab.example"),
        (9, "set system services ssh"),
        (10, "set system services telnet"),
        (10, "deactivate system services telnet"),
        (12, "deactivate system syslog"),
        (14, "set system syslog host 10.0.0.1 any notice"),
        (18, 'set system login message "Authorised access only; activity is logged"'),
        (21, 'set system login user ops authentication encrypted-password "$6$abc$def"'),
        (28, "set protocols lldp interface all"),
        (30, "set protocols rstp"),
    ]


def test_the_tree_keeps_the_original_line_numbers() -> None:
    tree = ConfigTree.from_lines(to_set_lines(BRACES), "#")
    assert [(line.lineno, line.text) for line in tree.roots()][:2] == [
        (2, "set version 21.4R3-S5.4"),
        (4, "set system host-name fw1"),
    ]
    assert len(tree) == 13


def test_an_empty_block_is_still_a_statement() -> None:
    text = "system {\n    services {\n        netconf {\n        }\n    }\n}\n"
    assert to_set_lines(text) == [(3, "set system services netconf")]


def test_set_lines_pass_through_with_their_numbers() -> None:
    text = "# comment\nset system host-name a\n\nset system services ssh ## note\ndeactivate system services ssh\n"
    assert not is_brace_form(text)
    assert to_set_lines(text) == [
        (2, "set system host-name a"),
        (4, "set system services ssh"),
        (5, "deactivate system services ssh"),
    ]


def test_inline_blocks_and_trailing_comments() -> None:
    text = 'snmp {\n    community "pub lic" { authorization read-only; clients [ 10.0.0.0/8 ]; }\n}\n'
    assert is_brace_form(text)
    assert to_set_lines(text) == [
        (2, 'set snmp community "pub lic" authorization read-only'),
        (2, 'set snmp community "pub lic" clients 10.0.0.0/8'),
    ]
    assert strip_comment('x "a # b"; # c') == 'x "a # b";'
    assert strip_comment('encrypted-password "$1$x"; ## SECRET-DATA') == 'encrypted-password "$1$x";'


def test_truncated_or_unbalanced_text_converts_without_raising() -> None:
    assert to_set_lines("system {\n    host-name a;\n    services {\n        ssh;\n") == [
        (2, "set system host-name a"),
        (4, "set system services ssh"),
    ]
    assert to_set_lines("}\n}\nsystem {\n    host-name b;\n}\n}\n") == [(4, "set system host-name b")]
    assert to_set_lines("#\nif { something } {\ndo X\n} else {\ndo Y\n}\n")  # garbage in, no exception
