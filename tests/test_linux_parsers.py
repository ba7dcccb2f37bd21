"""The Linux readers on the syntaxes real hosts print: schedules, PAM, sshd Include, log targets, lastlog, dnf."""

from __future__ import annotations

import pytest

from scanner.model import Evidence
from scanner.platforms._linux import accounts, antivirus, pam, system
from scanner.platforms._linux.commands import host_commands, login_defs, package_manager
from scanner.snapshot import slugify


def ev(line: int, text: str) -> Evidence:
    return Evidence.of("test", line, text)


@pytest.mark.parametrize(
    ("fields", "days"),
    [
        ("30 2 * * 0", 7),
        ("30 2 * * 1,4", 4),
        ("30 2 * * 1-5", 3),  # Friday to Monday
        ("0 3 * * *", 1),
        ("*/15 * * * *", 1 / 24),
        ("0 */6 * * *", 0.25),
        ("0 4 1 * *", 31),
        ("0 4 1,15 * *", 17),
        ("0 4 */7 * *", 7),
        ("0 4 * 1 *", 31 * 12),  # every day of January only
        ("0 4 1 * 0", 7),  # either field: Sundays too
        ("@weekly", 7),
        ("@monthly", 31),
        ("0 4 * * sun", 7),
    ],
)
def test_cron_interval(fields: str, days: float) -> None:
    assert antivirus.cron_interval(fields.split()) == pytest.approx(days)


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("weekly", 7),
        ("daily", 1),
        ("monthly", 31),
        ("Sun *-*-* 02:30:00", 7),
        ("Mon..Fri 02:00", 3),
        ("Sat,Sun 01:00", 6),
        ("*-*-01 04:00:00", 31),
        ("*-*-* 04:00:00", 1),
    ],
)
def test_systemd_calendar_interval(spec: str, days: float) -> None:
    assert antivirus.calendar_interval(spec) == pytest.approx(days)


def test_timer_job_reads_schedule_and_command() -> None:
    text = (
        "# /etc/systemd/system/clamscan.timer\n[Timer]\nOnCalendar=Sun 03:00\n\n"
        "# /etc/systemd/system/clamscan.service\n[Service]\nExecStart=/usr/bin/clamscan -r -i /srv\n"
    )
    (job,) = antivirus.timer_jobs(text, ev)
    assert job.interval_days == 7 and job.command.startswith("/usr/bin/clamscan") and job.evidence.line == 3
    assert antivirus.span_days("1w") == 7 and antivirus.span_days("12h") == 0.5


def test_cron_files_skip_variables_and_read_run_parts() -> None:
    text = (
        "/etc/cron.d/av:MAILTO=root\n"
        "/etc/cron.d/av:15 1 * * 3 root /usr/bin/clamdscan --fdpass /home\n"
        "/etc/cron.weekly/scan:#!/bin/sh\n"
        "/etc/cron.weekly/scan:nice clamscan -ri / >/var/log/scan.log\n"
        "/var/spool/cron/crontabs/root:0 5 * * 6 clamscan -r /data\n"
    )
    jobs = antivirus.cron_jobs("", text, ev, with_user=True, path_prefixed=True)
    assert [(j.command.split()[0], j.interval_days) for j in jobs] == [
        ("/usr/bin/clamdscan", 7),
        ("nice", 7),
        ("clamscan", 7),
    ]


def _rules(stack: str, defs: str = "PASS_MAX_DAYS 180\n"):
    return pam.password_rules(stack, ev, login_defs(defs), ev)


def test_pwquality_credits_lower_the_minimum() -> None:
    stack = (
        "/etc/pam.d/common-password:password requisite pam_pwquality.so retry=3 minlen=10 dcredit=1 ucredit=1\n"
        "/etc/pam.d/common-password:password [success=1 default=ignore] pam_unix.so obscure use_authtok\n"
    )
    rules = _rules(stack)
    assert (rules.min_length, rules.module) == (8, "pwquality")


def test_pwquality_conf_d_overrides_the_main_file_and_args_override_both() -> None:
    stack = (
        "/etc/pam.d/system-auth:password requisite pam_pwquality.so\n"
        "/etc/security/pwquality.conf:minlen = 14\n"
        "/etc/security/pwquality.conf.d/50.conf:minlen = 10\n"
    )
    assert _rules(stack).min_length == 10
    assert _rules(stack.replace("pam_pwquality.so", "pam_pwquality.so minlen=12")).min_length == 12


def test_cracklib_defaults_and_unix_minlen() -> None:
    assert _rules("/etc/pam.d/system-auth:password requisite pam_cracklib.so\n").min_length == 6  # 9 less 4 credits
    rules = _rules("/etc/pam.d/common-password:password [success=1 default=ignore] pam_unix.so minlen=10\n")
    assert (rules.min_length, rules.module, rules.file) == (10, "pam_unix", "/etc/pam.d/common-password")


def test_pass_min_len_counts_only_without_pam() -> None:
    defs = "PASS_MAX_DAYS 99999\nPASS_MIN_LEN 10\n"
    without = _rules("", defs)
    assert (without.min_length, without.module, without.max_days) == (10, "login.defs", None)
    under_pam = _rules("/etc/pam.d/common-password:password required pam_unix.so obscure\n", defs)
    assert under_pam.min_length == 6 and under_pam.ignored[0].text == "PASS_MIN_LEN 10"


def test_sshd_files_first_value_wins_through_include_and_match_ends_it() -> None:
    text = (
        "/etc/ssh/sshd_config:PermitEmptyPasswords no\n"
        "/etc/ssh/sshd_config:Include /etc/ssh/sshd_config.d/*.conf\n"
        "/etc/ssh/sshd_config:PermitRootLogin no\n"
        "/etc/ssh/sshd_config:Match User backup\n"
        "/etc/ssh/sshd_config:  PermitEmptyPasswords yes\n"
        "/etc/ssh/sshd_config.d/10-a.conf:PermitRootLogin yes\n"
        "/etc/ssh/sshd_config.d/20-b.conf:PermitRootLogin prohibit-password\n"
    )
    options = system.sshd_files(text, ev)
    assert options["permitrootlogin"].value == "yes"
    assert options["permitrootlogin"].evidence.line == 6
    assert options["permitemptypasswords"].value == "no"


def test_log_targets_of_every_syntax() -> None:
    text = (
        "/etc/rsyslog.conf:# *.* @@commented.example:514\n"
        "/etc/rsyslog.d/a.conf:auth,authpriv.* @10.0.0.5\n"
        "/etc/rsyslog.d/b.conf:*.* @@(o)[2001:db8::5]:6514\n"
        '/etc/rsyslog.d/c.conf:action(type="omfwd"\n'
        '/etc/rsyslog.d/c.conf:       target="logs.example.org" port="514" protocol="tcp")\n'
        '/etc/syslog-ng/syslog-ng.conf:source s_net { udp(ip("0.0.0.0") port(514)); };\n'
        '/etc/syslog-ng/syslog-ng.conf:destination d { tcp("10.0.0.9" port(514)); };\n'
        "/etc/systemd/journal-upload.conf:URL=https://journal.example:19532\n"
    )
    assert [t.address for t in system.log_targets(text, ev)] == [
        "10.0.0.5",
        "2001:db8::5",
        "logs.example.org",
        "10.0.0.9",
        "https://journal.example:19532",
    ]


def test_lastlog_dates_and_never() -> None:
    text = (
        "Username         Port     From             Latest\n"
        "root                                       **Never logged in**\n"
        "alice            pts/0    10.0.0.1         Mon Jan  5 09:12:44 +0800 2026\n"
    )
    logins = accounts.lastlog(text, ev)
    assert logins["root"].when is None
    assert logins["alice"].when.isoformat() == "2026-01-05T01:12:44+00:00"


def test_shadow_status_fields() -> None:
    aging = accounts.shadow_status(
        "root:L:19000:0:99999:7:::\ndave:NP:20779:0:180:7:::\nalice:P:0:0:90:7::20000:\nbroken line\n",
        ev,
    )
    assert set(aging) == {"root", "dave", "alice"}
    assert (aging["root"].password, aging["root"].max_days) == ("locked", None)
    assert (aging["dave"].password, aging["dave"].last_change.isoformat()) == ("empty", "2026-11-22")
    assert aging["alice"].must_change and aging["alice"].expires.isoformat() == "2024-10-04"


def test_dnf_security_list_marks_packages() -> None:
    state = system.dnf_updates(
        "dnf",
        "\nopenssl.x86_64  1:3.0.7-25.el9  baseos\ntzdata.noarch  2024a-1.el9  baseos\n",
        "RLSA-2024:0310 Moderate/Sec.  openssl-1:3.0.7-25.el9.x86_64\n",
        ev,
        ev,
    )
    assert [(u.package, u.security) for u in state.pending] == [("openssl", True), ("tzdata", False)]


def test_package_manager_from_os_release() -> None:
    assert package_manager({"ID": "ubuntu", "ID_LIKE": "debian"}) == "apt"
    assert package_manager({"ID": "centos", "ID_LIKE": "rhel fedora", "VERSION_ID": "7"}) == "yum"
    assert package_manager({"ID": "rocky", "ID_LIKE": "rhel centos fedora", "VERSION_ID": "9.3"}) == "dnf"
    assert package_manager({"ID": "kylin", "ID_LIKE": ""}) == "apt"
    assert package_manager({"ID": "plan9"}) == ""


def test_follow_up_queries_only_safe_timer_names_and_the_package_manager() -> None:
    timers = (
        "Thu 2026-01-15 10:21:03 CST 2h left n/a n/a dnf-makecache.timer dnf-makecache.service\n"
        "n/a n/a n/a n/a evil;rm.timer x.service\n"
    )
    follow = host_commands().follow_up(
        {
            "cat /etc/os-release": 'ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_ID=9.3\n',
            "systemctl list-timers --all --no-pager --no-legend": timers,
        }
    )
    assert follow == (
        "dnf -C -q check-update",
        "dnf -C -q updateinfo list --security",
        "systemctl cat --no-pager dnf-makecache.timer dnf-makecache.service",
    )


def test_every_phase_one_slug_is_a_short_file_name() -> None:
    for command in host_commands().all:
        assert len(slugify(command)) < 200, command
