#include "rig_agent.h"
