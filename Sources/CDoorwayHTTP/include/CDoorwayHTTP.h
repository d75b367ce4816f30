// What the HTTP client needs from Linux that Swift's Glibc module does not show: extended attributes.
#ifndef CDOORWAY_HTTP_H
#define CDOORWAY_HTTP_H

#include <sys/xattr.h>

#endif
