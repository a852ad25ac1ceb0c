"""New request ids: unique in a process and across the processes gunicorn forks."""

import os

from itmj_adapters import request_context


def test_new_ids_are_32_hex_digits_and_never_repeat():
    made = [request_context.new_request_id() for _ in range(1000)]
    assert len(set(made)) == len(made)
    assert all(len(each) == 32 and int(each, 16) >= 0 for each in made)


def test_a_forked_child_makes_ids_its_parent_never_makes():
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        os.write(writing, " ".join(
            request_context.new_request_id() for _ in range(100)).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        in_child = pipe.read().split()
    os.waitpid(child, 0)
    in_parent = [request_context.new_request_id() for _ in range(100)]
    assert len(in_child) == 100
    assert not set(in_child) & set(in_parent)
    assert {each[:16] for each in in_child}.isdisjoint(each[:16] for each in in_parent)
