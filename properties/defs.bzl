"""laplace_property_test: a cc_test of LAPLACE_PROPERTY tests."""

def laplace_property_test(name, srcs, deps = [], data = [], **kwargs):
    """A cc_test for LAPLACE_PROPERTY tests.

    Links the Laplace main (sharding across cases), lists the package's corpus
    (replays/<Suite>.<Test>/*.textpb) as data so it is replayed first, and lists
    the test's own sources as data so that a new failure's replay file is
    written beside them in the source tree.

    Args:
      name: the test's name.
      srcs: its sources.
      deps: its dependencies; //properties:property and :main are added.
      data: extra data.
      **kwargs: anything else cc_test takes (size, shard_count, ...).
    """
    native.cc_test(
        name = name,
        srcs = srcs,
        deps = deps + [
            "//properties:property",
            "//properties:main",
        ],
        data = data + srcs + native.glob(["replays/**/*.textpb"]),
        **kwargs
    )
