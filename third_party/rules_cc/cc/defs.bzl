"""Forwards rules_cc's macros to Bazel 4.2.3's native rules.

Debian's bazel-rules-cc is too new for Bazel 4.2.3, and we build offline, so
this local stand-in replaces the rules_cc repository that Bazel would fetch.
"""

def cc_library(**kwargs):
    native.cc_library(**kwargs)

def cc_binary(**kwargs):
    native.cc_binary(**kwargs)

def cc_test(**kwargs):
    native.cc_test(**kwargs)

def cc_toolchain(**kwargs):
    native.cc_toolchain(**kwargs)

def cc_toolchain_suite(**kwargs):
    native.cc_toolchain_suite(**kwargs)
