#include "planner/plan.h"
int main(void) { return 0; }
