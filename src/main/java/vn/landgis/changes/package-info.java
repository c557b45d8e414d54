/**
 * Changes told across processes. The register, the boundaries, the plans and the field reports change in more than
 * one process: the service, the command line's {@code import} and {@code boundaries} (a JVM of its own, run by an
 * officer while the service keeps serving), a second instance of the service behind the same load balancer. Each
 * process tells its own caches through Spring events ({@link vn.landgis.cadastre.RegisterChanged} and its siblings);
 * this module carries those events to every other process on the same database with PostgreSQL's
 * {@code NOTIFY}/{@code LISTEN}: {@link ChangeBroadcast} announces each event on the channel {@value ChangeMessage#CHANNEL},
 * {@link ChangeListener} (in the web service) hears the others' announcements and publishes them as the same events
 * there, so that its tile cache, land statistics and look-ups forget what changed as if the change had been made
 * in it. A listener that lost its connection forgets everything in the province once it is back (what it missed
 * meanwhile is not known).
 */
package vn.landgis.changes;
