/* geo internals: struct bodies shared by the geo source files. */
#ifndef GEO_INT_H
#define GEO_INT_H
#include "geo/geo.h"
#endif
