"""How a simulated device's CLI answers a line: housekeeping, a saved output, or the vendor's refusal.

The prompt and the refusal come from the platform (``Platform.cli_prompt`` and
``Platform.cli_rejection``), so a new vendor needs nothing here. The replies to the
housekeeping commands are what the vendors print, which is also what Netmiko waits
for during its session preparation (``Width set to``, ``Screen length set to 0``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.lab.devices import LabDevice

# Housekeeping commands every simulated device accepts, with the reply per platform
# (key None: the reply of every other platform). Matched on whitespace-normalised text.
_HOUSEKEEPING: tuple[tuple[re.Pattern[str], dict[str | None, str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replies)
    for pattern, replies in (
        (r"terminal length 0", {"arista_eos": "Pagination disabled.", None: ""}),
        (r"terminal width (\d+)", {"arista_eos": "Width set to {0} columns.", None: ""}),
        (r"terminal pager 0|terminal no monitor|terminal monitor|terminal exec prompt .*", {None: ""}),
        (r"screen-length 0 temporary", {None: "Info: The configuration takes effect on the current user terminal."}),
        (r"screen-length disable", {None: ""}),
        (r"screen-width (\d+)|screen-width (\d+) temporary", {None: ""}),
        (r"set cli screen-length (\d+)", {None: "Screen length set to {0}"}),
        (r"set cli screen-width (\d+)", {None: "Screen width set to {0}"}),
        (r"set cli complete-on-space off", {None: "Disabling complete-on-space"}),
        (r"set cli timestamp disable|set cli idle-timeout 0", {None: ""}),
        (r"enable", {None: ""}),
    )
)
_EXIT = frozenset({"exit", "quit", "logout"})


@dataclass(frozen=True)
class Reply:
    """What the device prints after the echo of a line (``\\n`` line ends), and whether it then hangs up."""

    text: str
    close: bool = False
    command_output: bool = False


class Cli:
    """The answering logic of one simulated device."""

    def __init__(self, device: LabDevice, username: str) -> None:
        self.device = device
        platform = device.platform
        self.prompt = platform.cli_prompt.format(hostname=device.name, user=username)
        self.rejection = platform.cli_rejection
        self.setup = {" ".join(c.split()).lower() for c in platform.session_setup}

    def answer(self, line: str) -> Reply:
        command = " ".join(line.split())
        if not command:
            return Reply("")
        if command.lower() in _EXIT:
            return Reply("", close=True)
        output = self.device.output(command)
        if output is not None:
            return Reply(output, command_output=True)
        housekeeping = self._housekeeping(command)
        if housekeeping is not None:
            return Reply(housekeeping)
        return Reply(self._refusal())

    def _housekeeping(self, command: str) -> str | None:
        for pattern, replies in _HOUSEKEEPING:
            match = pattern.fullmatch(command)
            if match:
                reply = replies.get(self.device.platform.name, replies[None])
                text = reply.format(*[g for g in match.groups() if g is not None])
                return f"{text}\n" if text else ""
        if command.lower() in self.setup:
            return ""
        return None

    def _refusal(self) -> str:
        if "^" in self.rejection:
            caret = " " * len(self.prompt) + "^"
            return f"{caret}\n{self.rejection}\n\n"
        return f"{self.rejection}\n"
