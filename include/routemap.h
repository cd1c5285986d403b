/* routemap — route maps from shapefiles and a short map spec.
 * The umbrella header: include this, link with pkg-config routemap. */
#ifndef ROUTEMAP_H
#define ROUTEMAP_H

#define ROUTEMAP_VERSION "0.1.0"

#include "routemap/error.h"
#include "routemap/geom.h"
#include "routemap/geodata.h"
#include "routemap/places.h"
#include "routemap/railnet.h"
#include "routemap/plan.h"
#include "routemap/distance.h"
#include "routemap/journeys.h"
#include "routemap/project.h"
#include "routemap/spec.h"
#include "routemap/markers.h"
#include "routemap/cleanup.h"
#include "routemap/render.h"
#include "routemap/output.h"

#endif
