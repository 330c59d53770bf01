#include "planner/synth.h"
