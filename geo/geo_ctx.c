#include "geo/geo_int.h"
