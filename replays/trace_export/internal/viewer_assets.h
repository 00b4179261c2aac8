// The trace viewer's script and style sheet (viewer.js, viewer.css), built
// into the binary by a genrule so that html.cc can inline them. Private to
// trace_export.
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_VIEWER_ASSETS_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_VIEWER_ASSETS_H_

namespace laplace::replays::trace_export::internal {

extern const char kViewerScript[];
extern const char kViewerStyle[];

}  // namespace laplace::replays::trace_export::internal

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_VIEWER_ASSETS_H_
