#include "planner/scenario.h"
