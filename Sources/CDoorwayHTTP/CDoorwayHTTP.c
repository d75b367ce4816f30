// The header only includes system headers; SwiftPM needs one source file per C target.
#include "CDoorwayHTTP.h"
