"""laplace_dependencies(): everything a workspace needs to build Laplace.

Laplace builds offline with Debian 12's Bazel 4.2.3 and system libraries. Bazel
4 would otherwise download rules_cc, rules_java and the coverage tools; each
is pointed at a local stand-in here, and @system is /usr (Abseil, GoogleTest,
RapidCheck, Protobuf, Google Benchmark from Debian's packages, installed by
tools/setup.sh). Laplace's own WORKSPACE calls this; so does a workspace that
uses Laplace, in a few lines:

    local_repository(name = "laplace", path = "/path/to/laplace")

    load("@laplace//:repositories.bzl", "laplace_dependencies")

    laplace_dependencies()

then, in a BUILD file:

    load("@laplace//properties:defs.bzl", "laplace_property_test")

A repository the workspace already defines (its own rules_cc, say) is left as
it is.
"""

def _laplace_folder_impl(ctx):
    # The folder of Laplace's checkout that `marker` is in, as a repository of its own.
    folder = ctx.path(ctx.attr.marker).dirname
    for child in folder.readdir():
        ctx.symlink(child, child.basename)

_laplace_folder = repository_rule(
    implementation = _laplace_folder_impl,
    attrs = {"marker": attr.label(allow_single_file = True, mandatory = True)},
    local = True,
    doc = "A folder of Laplace's checkout (the one holding `marker`) as a repository.",
)

def _maybe(rule, name, **kwargs):
    if not native.existing_rule(name):
        rule(name = name, **kwargs)

def laplace_dependencies():
    """Defines rules_cc, rules_java, remote_coverage_tools and system, unless defined already."""

    # Debian's bazel-rules-cc is too new for Bazel 4.2.3, so a tiny local
    # repository forwards the cc_* rules to the native ones.
    _maybe(
        _laplace_folder,
        name = "rules_cc",
        marker = Label("//third_party/rules_cc:WORKSPACE"),
    )

    # Debian's bazel-rules-java package matches Bazel 4.2.3.
    _maybe(
        native.local_repository,
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )

    # Bazel 4 fetches these for `bazel coverage` even when nobody asks; two
    # empty filegroups keep it offline.
    _maybe(
        _laplace_folder,
        name = "remote_coverage_tools",
        marker = Label("//third_party/coverage_tools:WORKSPACE"),
    )

    # Abseil, GoogleTest, RapidCheck, Protobuf and Google Benchmark from /usr.
    _maybe(
        native.new_local_repository,
        name = "system",
        build_file = str(Label("//third_party/system:BUILD.system")),
        path = "/usr",
    )
