"""JUnit XML: one testcase per checked file, failing with that file's findings.

A file that could not be read or written is an `<error>`; so is a run-level
error such as a path that does not exist.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from digestlint.runner import FileOutcome, Report

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _testcase(outcome: FileOutcome) -> ElementTree.Element:
    case = ElementTree.Element("testcase", classname="digestlint", name=_xml(outcome.path), file=_xml(outcome.path))
    violations = outcome.violations
    if outcome.error:
        error = ElementTree.SubElement(case, "error", message=_xml(outcome.error))
        error.text = _xml(outcome.error)
    elif violations:
        codes = sorted({violation.code for violation in violations})
        failure = ElementTree.SubElement(
            case, "failure", message=_xml(_plural(len(violations), "finding")), type=",".join(codes)
        )
        failure.text = _xml(
            "".join(
                f"{violation.path}:{violation.line}:{violation.column}: {violation.code} {violation.message}\n"
                for violation in violations
            )
        )
    return case


class JunitReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream

    def report(self, report: Report) -> None:
        cases = [_testcase(outcome) for outcome in report.files]
        for message in report.errors:
            case = ElementTree.Element("testcase", classname="digestlint", name=_xml(message.split(": ", 1)[0]))
            ElementTree.SubElement(case, "error", message=_xml(message)).text = _xml(message)
            cases.append(case)
        failures = sum(1 for case in cases if case.find("failure") is not None)
        errors = sum(1 for case in cases if case.find("error") is not None)
        counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
        suites = ElementTree.Element("testsuites", {"name": "digestlint", **counts})
        suite = ElementTree.SubElement(suites, "testsuite", {"name": "digestlint", "skipped": "0", **counts})
        suite.extend(cases)
        ElementTree.indent(suites)
        self.stream.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.stream.write(ElementTree.tostring(suites, encoding="unicode"))
        self.stream.write("\n")
