"""The task runner: work off the UI thread, results and failures back on it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from models.errors import ValidationError
from views.tasks import TaskRunner


def test_async_result_arrives_on_the_ui_thread(qtbot):
    runner = TaskRunner(synchronous=False)
    seen = {}

    def work():
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value):
        seen["value"] = value
        seen["ui"] = QThread.currentThread() is QApplication.instance().thread()

    runner.run(work, on_success=done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": False, "value": 42, "ui": True}


def test_domain_error_becomes_its_message(qtbot, recorded_messages):
    runner = TaskRunner(synchronous=False)

    def work():
        raise ValidationError("La data non va bene.")

    runner.run(work, on_success=lambda _v: None)
    runner.wait_all()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert recorded_messages.texts("error") == ["La data non va bene."]


def test_unexpected_error_shows_no_traceback(recorded_messages):
    runner = TaskRunner(synchronous=True)

    def work():
        raise KeyError("secret name Ğülşen")

    runner.run(work, on_success=lambda _v: None)
    [text] = recorded_messages.texts("error")
    assert "Ğülşen" not in text
    assert "Traceback" not in text
    assert "KeyError" in text


def test_overtaken_result_is_dropped(qtbot):
    runner = TaskRunner(synchronous=False)
    gate = threading.Event()
    got = []

    def slow():
        gate.wait(5)
        return "old"

    runner.run(slow, on_success=got.append, key="page")
    runner.run(lambda: "new", on_success=got.append, key="page")
    gate.set()
    runner.wait_all()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert got == ["new"]


def test_custom_failure_handler(recorded_messages):
    runner = TaskRunner()
    failures = []
    runner.run(lambda: 1 / 0, on_success=lambda _v: None, on_failure=failures.append)
    assert isinstance(failures[0], ZeroDivisionError)
    assert recorded_messages.shown == []


def test_a_waiting_request_is_replaced_by_a_newer_one(qtbot):
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    runner = TaskRunner(synchronous=False, pool=pool)
    gate = threading.Event()
    ran, got = [], []

    def job(name):
        def work():
            if name == "first":
                gate.wait(5)
            ran.append(name)
            return name

        return work

    runner.run(job("first"), on_success=got.append, key="page")  # takes the only thread
    runner.run(job("second"), on_success=got.append, key="page")  # waits...
    runner.run(job("third"), on_success=got.append, key="page")  # ...and is replaced by this
    gate.set()
    runner.wait_all()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    pool.waitForDone()
    assert ran == ["first", "third"]
    assert got == ["third"]


def test_a_request_after_the_last_one_ran_but_before_its_answer_came(qtbot):
    """The pool deletes a worker once it has run; a newer request of the same kind made
    before the older answer is delivered must not try to take that worker back."""
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool()
    runner = TaskRunner(synchronous=False, pool=pool)
    got = []
    runner.run(lambda: "old", on_success=got.append, key="page")
    pool.waitForDone()  # it ran; its answer waits in the event queue
    runner.run(lambda: "new", on_success=got.append, key="page")
    runner.wait_all()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert got == ["new"]


def test_long_work_shows_the_busy_indicator_until_it_ends(qtbot):
    runner = TaskRunner(synchronous=False)
    gate = threading.Event()
    states = []
    runner.busy_changed.connect(lambda busy, label: states.append((busy, label)))
    with qtbot.waitSignal(runner.busy_changed, timeout=5000):
        runner.run(lambda: gate.wait(5), on_success=lambda _v: None)
    assert len(states) == 1 and states[0][0] is True and states[0][1]  # a label is shown
    gate.set()
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5000)
    assert states[-1] == (False, "")
