"""slack_plain's ColumnSink: a block's times and source ids are its events', whichever way each was kept (a plain
message's from its conversation and its text, any other event's as added)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.ingest.slack_channel import Actor, ts_micros
from teamweave.ingest.slack_plain import ColumnSink

MANY = settings(max_examples=400, deadline=None)

events = st.lists(
    st.tuples(
        st.sampled_from(["plain", "add", "stamped", "conversation"]),
        st.integers(0, 7_999_999_999_999_999),
        st.sampled_from(["C1", "D2", "Cé", "C1"]),
    )
)


@MANY
@given(events)
def test_a_blocks_times_and_ids_are_its_events(made: list[tuple[str, int, str]]) -> None:
    for slack in (True, False):
        sink, times, ids = ColumnSink(), [], []
        actor = Actor("p", by_bot=False)
        conversation = "C0"
        sink.conversation(conversation)
        for how, micros, channel_id in made:
            seconds, fraction = divmod(micros, 1_000_000)
            stamp = f"{seconds:010d}.{fraction:06d}" if slack else f"{seconds}.{fraction:06d}".rstrip("0")
            if how == "conversation":
                conversation = channel_id
                sink.conversation(conversation)
                continue
            times.append(ts_micros(stamp))
            key = f"{conversation}:{stamp}"
            if how == "add":
                ids.append(f"{key}:mention:U{micros % 7}")
                sink.add(ids[-1], "mention", micros, actor, (), 0, "c", None)
            elif how == "stamped":
                ids.append(f"{key}:reaction:tada:U1")
                sink.stamped(ids[-1], stamp, actor, (), "c", None)
            else:  # what ColumnReader.messages appends for a plain message
                ids.append(key)
                sink.kinds.append("message")
                sink.stamps.append(stamp)
        sink.any_shape = not slack
        micros, texts = sink.times()
        assert micros.tolist() == times
        assert sink.source_ids(texts).to_pylist() == ids
        assert len(sink) == len(ids)
