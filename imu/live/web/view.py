"""The web view: a session listener that keeps the coaching state and wakes the open pages.

:class:`WebView` is one more view of a live session (beside the terminal's): the session calls
it with each event (:data:`imu.live.events.Listener`); it updates its :class:`CoachingState`
and, when something the page shows changed, wakes every subscriber (one per open event
stream). A subscriber then sends the newest snapshot, so a burst of events costs one message,
and a slow phone never holds up the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from imu.live.web.state import CoachingState

logger = logging.getLogger(__name__)


class Subscription:
    """One open page's wake-up flag (an :class:`asyncio.Event`, set when the state changed)."""

    def __init__(self) -> None:
        self.changed = asyncio.Event()
        self.closed = False

    async def wait(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` s for a change; returns whether there was one."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.changed.wait(), timeout_s)
        changed = self.changed.is_set()
        self.changed.clear()
        return changed


class WebView:
    """Listener of a live session that feeds the coaching page.

    Args:
        state: the state model the events update.

    The view is called from the session's consumer task, in the event loop that also runs the
    web server; from another thread it hands the wake-up to that loop.

    """

    def __init__(self, state: CoachingState) -> None:
        self.state = state
        self._subscribers: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def __call__(self, event: object) -> None:
        """Apply ``event`` to the state; wake the pages if what they show changed."""
        if self.state.apply(event):
            self._wake()

    def subscribe(self) -> Subscription:
        """A new subscriber (an open event stream); it starts woken (send the state once)."""
        self._loop = asyncio.get_running_loop()
        sub = Subscription()
        sub.changed.set()
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Forget ``sub`` (its page went away)."""
        self._subscribers.discard(sub)

    def close(self) -> None:
        """Tell every subscriber to finish (the server is stopping)."""
        for sub in self._subscribers:
            sub.closed = True
        self._wake()

    @property
    def subscribers(self) -> int:
        """Number of open event streams."""
        return len(self._subscribers)

    def _wake(self) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._loop is not None and running is not self._loop:
            self._loop.call_soon_threadsafe(self._set_all)
        else:
            self._set_all()

    def _set_all(self) -> None:
        for sub in self._subscribers:
            sub.changed.set()


class ViewGroup:
    """Several views as one listener: each gets every event; one that fails is dropped alone.

    A session drops a listener that raises; with the terminal and the web page behind one
    listener, a bug in one must not silence the other.
    """

    def __init__(self, *views: Callable[[Any], None]) -> None:
        self.views = list(views)

    def __call__(self, event: object) -> None:
        """Give ``event`` to every view still working."""
        for view in list(self.views):
            try:
                view(event)
            except Exception:  # a view's failure must not stop the others or the session
                logger.exception("the view %r failed; carrying on without it", view)
                self.views.remove(view)
