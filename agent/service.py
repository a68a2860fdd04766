"""The application service: every user-facing operation, scoped by owner, over tools/ and store/.

The chat tools (``agent/registry.py``), the web UI's buttons (``ui/app.py``) and the CLI chat all
go through one :class:`JobfitService`, built once per process by ``agent.bootstrap``. Every
method that touches personal data takes the owner's id as its first argument (it comes from the
run's context, never from a model); numbers come from the deterministic engine only.

Job references (``job_ref``) accept the source's external id (``"sample-0-00042"``) or the
database id with or without a hash (``"42"``, ``"#42"``), or the job's URL. Positions in the last
list ("the second one") are resolved by the caller (the registry keeps the last list in graph
state).

The service keeps its heavy objects alive between calls (the keyword index, the job source's
memo of parsed postings, job vectors, each owner's parsed current CV and its embedding, recent
analyses), so a repeated question costs a few milliseconds. It is safe to share between threads.

The service is one class composed of one mixin per role, each in its own module, chained so
each part can use the ones before it:

- ``agent/service_core.py`` (:class:`ServiceCore`): repositories, caches, locks, stage-1 indexes,
  users;
- ``agent/profiles.py``: CVs and preferences;
- ``agent/finder.py``: job references, cards, search, best matches;
- ``agent/analysis.py``: analyses, comparisons, skill insights, tailoring;
- ``agent/activity.py``: feedback and applications;
- ``agent/accounts.py``: chat identities, web chat accounts and "forget me";
- ``agent/operations.py``: imports and maintenance of the job collection (the CLI's operator
  commands);
- the models it returns (``JobCard``, ``CVSummary``, ``Analysis``, ``NoCVError``) live in
  ``agent/service_types.py``.

SQL lives in the repositories (``store/``): nothing under ``agent/`` builds a query (a test in
``tests/unit/test_layers.py`` checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.operations import OperatorOps

if TYPE_CHECKING:
    from agent.digests import DigestCenter
    from agent.feeds import FeedBook


class JobfitService(OperatorOps):
    """Every operation the channels offer, over the store and the engine.

    Args:
        engine: the database (schema already migrated).
        embedder: text embedder for the semantic factor and search (None: semantic unknown,
            search by keywords only).
        index: the job vector index.
        weights: scoring weights (default balanced).
        calibration: the embedder's cosine calibration.
        analysis_ttl_days: lifetime of cached analyses.
        max_upload_bytes: largest CV file accepted.
        snapshot: file that keeps the stage-1 indexes between processes (None: rebuilt by
            every process; building reads every active job, ~1 min per 100,000 jobs).
    """

    def digests(self) -> DigestCenter:
        """The digest center: compose, store and deliver digests (in-app until a channel
        layer adds e-mail, Slack or Teams with ``digests().add_channel``)."""
        with self._users_lock:
            center: DigestCenter | None = getattr(self, "_digest_center", None)
            if center is None:
                from agent.digests import DigestCenter

                center = DigestCenter(self)
                self._digest_center = center
            return center

    def feeds(self) -> FeedBook:
        """The registered job feeds the scheduler re-imports (``jobfit feeds``)."""
        from agent.feeds import FeedBook

        return FeedBook(self.engine)
