"""Values as given: a date or date-time the caller writes as text reaches the wire exactly as written, in the
query, a JSON body (top level and nested), a form body and on the command line; a `datetime` object is
written by pydantic. The bytes are read back from the contract server's record of each request."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from client_support import answered
from kinds_support import MODES, Shapes, call, generated_shapes, opi

from generator.runtime.cli_exit import OK

WRITTEN = "2018-07-18T10:51:18.139Z"  # pydantic alone would send 2018-07-18T10:51:18.139000Z
OFFSET = "2018-07-18T13:51:18.1+03:00"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shapes]:
    with generated_shapes(tmp_path_factory.mktemp("given")) as found:
        yield found


def body_of(s: Shapes, name: str) -> bytes:
    found = answered(s.server, name)
    assert found and found[-1].status == 200, found[-1:]
    return found[-1].body


@pytest.mark.parametrize("mode", MODES)
def test_json_body_dates_go_out_as_written(shapes: Shapes, mode: str) -> None:
    call(shapes, mode, "schedule_widget", widget_id=7, at=WRITTEN, day="2018-07-18",
         slots=[{"start": OFFSET, "day": "2018-07-19"}])
    assert body_of(shapes, "ScheduleWidget") == (
        b'{"at":"2018-07-18T10:51:18.139Z","day":"2018-07-18",'
        b'"slots":[{"day":"2018-07-19","start":"2018-07-18T13:51:18.1+03:00"}]}'
    )
    # A model built by the caller keeps the text too.
    slot = shapes.pkg.models.Slot(start=WRITTEN)
    assert isinstance(slot.start, dt.datetime) and slot.start.microsecond == 139000  # still typed
    call(shapes, mode, "schedule_widget", widget_id=7, at=WRITTEN, slots=[slot])
    assert json.loads(body_of(shapes, "ScheduleWidget"))["slots"] == [{"start": WRITTEN}]


@pytest.mark.parametrize("mode", MODES)
def test_multipart_field_dates_go_out_as_written(shapes: Shapes, mode: str) -> None:
    call(shapes, mode, "upload_manual", widget_id=7, document=b"%PDF", title="T", issued=WRITTEN)
    rec = answered(shapes.server, "UploadManual")[-1]
    assert rec.status == 200
    assert f'name="issued"\r\n\r\n{WRITTEN}\r\n'.encode() in rec.body


@pytest.mark.parametrize("mode", MODES)
def test_objects_are_written_by_pydantic(shapes: Shapes, mode: str) -> None:
    at = dt.datetime(2018, 7, 18, 10, 51, 18, 139000, tzinfo=dt.UTC)
    call(shapes, mode, "schedule_widget", widget_id=7, at=at, day=dt.date(2018, 7, 18))
    assert body_of(shapes, "ScheduleWidget") == b'{"at":"2018-07-18T10:51:18.139000Z","day":"2018-07-18"}'
    with pytest.raises(shapes.pkg.ValidationError) as caught:  # still checked: a zone is required
        call(shapes, mode, "schedule_widget", widget_id=7, at="2018-07-18T10:51:18")
    assert caught.value.errors[0][0] == "at"


@pytest.mark.parametrize("mode", MODES)
def test_form_body_dates_go_out_as_written(shapes: Shapes, mode: str) -> None:
    call(shapes, mode, "create_charge", amount=1, capture_before=WRITTEN)
    assert parse_qsl(body_of(shapes, "CreateCharge").decode()) == [("amount", "1"), ("capture_before", WRITTEN)]


def test_answer_dates_dump_as_received(shapes: Shapes) -> None:
    slot = shapes.pkg.models.Slot.model_validate_json(b'{"start": "2018-07-18T10:51:18.139Z"}')
    assert slot.to_json_dict() == {"start": WRITTEN}
    assert repr(slot.start).startswith("datetime.datetime(2018, 7, 18, 10, 51, 18, 139000, tzinfo=")
    assert slot.start == dt.datetime(2018, 7, 18, 10, 51, 18, 139000, tzinfo=dt.UTC)


def test_cli_dates_go_out_as_written(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "ScheduleWidget", "--widget-id", "7", "--at", WRITTEN, "--day", "2018-07-18",
              "--slots", json.dumps([{"start": OFFSET}]), cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert body_of(shapes, "ScheduleWidget") == (
        b'{"at":"2018-07-18T10:51:18.139Z","day":"2018-07-18","slots":[{"start":"2018-07-18T13:51:18.1+03:00"}]}'
    )
    run = opi(shapes, "CreateCharge", "--amount", "1", "--capture-before", WRITTEN, cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert dict(parse_qsl(body_of(shapes, "CreateCharge").decode()))["capture_before"] == WRITTEN
    run = opi(shapes, "ListWidgets", "--since", WRITTEN, cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert answered(shapes.server, "ListWidgets")[-1].query["since"] == [WRITTEN]
