#include "solver/sol.h"
