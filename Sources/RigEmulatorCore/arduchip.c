#include "arduchip.h"
