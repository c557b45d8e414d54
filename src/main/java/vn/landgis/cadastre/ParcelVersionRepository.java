package vn.landgis.cadastre;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ParcelVersionRepository extends JpaRepository<ParcelVersion, Long> {

    /**
     * Every version in the lineage graph of a parcel: its own versions, and, through splits and merges, its
     * ancestors and descendants (transitively), with the changes that opened and closed them.
     */
    @Query(value = """
            WITH RECURSIVE own AS (
                SELECT id FROM cadastre.parcel WHERE parcel_id = :parcelId
            ), up(id) AS (
                SELECT id FROM own
                UNION
                SELECT l.parent_version FROM cadastre.parcel_lineage l JOIN up ON l.child_version = up.id
            ), down(id) AS (
                SELECT id FROM own
                UNION
                SELECT l.child_version FROM cadastre.parcel_lineage l JOIN down ON l.parent_version = down.id
            )
            SELECT p.* FROM cadastre.parcel p WHERE p.id IN (SELECT id FROM up UNION SELECT id FROM down)
            ORDER BY p.valid_from, p.id""", nativeQuery = true)
    List<ParcelVersion> lineageOf(@Param("parcelId") long parcelId);

    @Query(value = """
            SELECT parent_version, child_version, change_id FROM cadastre.parcel_lineage
            WHERE parent_version IN (:versions) OR child_version IN (:versions) ORDER BY change_id, parent_version, child_version""",
            nativeQuery = true)
    List<Object[]> lineageEdges(@Param("versions") List<Long> versions);
}
