"""Queueing background tasks so that they run only for changes that were kept.

Task arguments are stored (in the database, or in Redis with RQ) until a worker runs
them, so callers pass ids and kinds only: never a secret, a raw token or anyone's words.
"""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, **kwargs):
    """Queue `task` once the current transaction commits; a rolled-back change queues nothing.

    A worker may pick a task up at once, so it must never run before the rows it reads
    are committed: this is what keeps a task on Redis from racing its own transaction.
    """
    transaction.on_commit(partial(task.enqueue, **kwargs))


def enqueue_with_transaction(task, **kwargs):
    """Queue `task` so that it runs only if the current transaction commits.

    Use this for every task queued beside a change: an email about an invitation that
    rolled back is never sent, and a worker never runs before the rows it reads exist.

    With the database backend, the task row is written beside the caller's own rows and
    commits or rolls back with them, so "recorded and queued" holds even if the process
    dies right after the commit. Any other backend (RQ) is queued on commit instead.
    """
    if _queue_is_in_the_database(task):
        task.enqueue(**kwargs)
    else:
        enqueue_on_commit(task, **kwargs)


def _queue_is_in_the_database(task):
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)
