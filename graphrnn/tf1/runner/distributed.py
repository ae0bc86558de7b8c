"""TF1's distributed training as graphrnn-tf1 gives it: TensorFlow's own runtime
(tf.train.Server, replica_device_setter, MonitoredTrainingSession), with two changes.

    SyncReplicasOptimizer      TF1's, whose session hook lets the chief stop at once.
                               TF1's chief keeps a queue-runner thread waiting for the next
                               round of gradients; once the workers have stopped, none come,
                               and the chief's MonitoredTrainingSession waited
                               stop_grace_period_secs (120 s) for it at exit, then printed
                               the thread's error.
    stop_when_a_task_is_lost   a task whose ps (or any task it talks to) is gone ends with
                               one sentence and exit status 1, instead of hanging.

This module runs in the runner's process only (it imports TensorFlow with v2 behaviour
off, as the script sees it).
"""

import os
import re
import sys
import threading

from graphrnn.compat import tf, v1

LOST_TASK_STATUS = 1


class _ChiefStopsPromptly(v1.train.SessionRunHook):
    """SyncReplicasOptimizer's own hook, and on the chief, once training has ended (end())
    and the session's coordinator is asked to stop, a close of the session: that cancels
    the queue runner's wait for gradients, so the coordinator's join returns at once. The
    close comes after every hook's end(), so their last runs still have the session."""

    def __init__(self, hook, is_chief):
        self._hook, self._is_chief, self._coord = hook, is_chief, None

    def begin(self):
        self._hook.begin()

    def after_create_session(self, session, coord):
        self._coord = coord
        self._hook.after_create_session(session, coord)

    def before_run(self, run_context):
        return self._hook.before_run(run_context)

    def after_run(self, run_context, run_values):
        self._hook.after_run(run_context, run_values)

    def end(self, session):
        self._hook.end(session)
        if self._is_chief and self._coord is not None:
            coord = self._coord

            def close_when_stopping():
                coord.wait_for_stop()
                session.close()
            threading.Thread(target=close_when_stopping, daemon=True).start()


class SyncReplicasOptimizer(v1.train.SyncReplicasOptimizer):
    """tf.train.SyncReplicasOptimizer: TF1's, its hook wrapped so that the chief stops as
    soon as training ends (see the module's docstring)."""

    def make_session_run_hook(self, is_chief, num_tokens=-1):
        return _ChiefStopsPromptly(super().make_session_run_hook(is_chief, num_tokens),
                                   is_chief)


TRAIN = {"SyncReplicasOptimizer": SyncReplicasOptimizer}


def stop_when_a_task_is_lost():
    """From now on in this process, a session on a cluster (a grpc:// target) that finds
    a task gone (UnavailableError: a ps killed, a worker's machine down) ends the process
    with one sentence and exit status 1. TF1's MonitoredTrainingSession took that error for
    a preemption and re-created its session; on TensorFlow 2.21 closing the old session
    never returns once a ps is gone, so every worker would hang instead."""
    base = v1.Session.__mro__[1]  # BaseSession: its _do_call turns run errors into OpErrors
    assert base.__name__ == "BaseSession", base
    if getattr(base._do_call, "stops_when_a_task_is_lost", False):
        return
    do_call = base._do_call

    def _do_call(self, fn, *args):
        try:
            return do_call(self, fn, *args)
        except tf.errors.UnavailableError as error:
            if not (self._target or b"").startswith(b"grpc://"):
                raise
            sys.stdout.flush()
            print(lost_task_sentence(str(error.message)), file=sys.stderr, flush=True)
            os._exit(LOST_TASK_STATUS)
    _do_call.stops_when_a_task_is_lost = True
    base._do_call = _do_call


def lost_task_sentence(message):
    """The one sentence for an UnavailableError's message, naming the task that went
    away and what gRPC said of it when the message says."""
    task = re.search(r"remote target (/job:\S+)", message)
    reason = re.search(r'grpc_message:"([^"]+)"', message)
    who = task.group(1) if task else "a task of this cluster"
    why = f" ({reason.group(1)})" if reason else ""
    return (f"graphrnn-tf1: {who} stopped answering{why}, so this task stops here "
            f"instead of waiting for it forever.")
